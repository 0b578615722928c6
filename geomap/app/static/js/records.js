/**
 * Records and the shared land pieces on the map: which to show on a day, their
 * CSS classes, their Leaflet layers (built once, kept), and the selected thing.
 *
 * A record with a geometry of its own gets one Leaflet layer, added and removed as
 * the date moves. A record drawn from the land pieces (g null) is one SVG path too:
 * the outlines of its pieces, projected once per zoom and cached per piece, joined
 * into one path (PieceSet). A date change adds and removes a few such paths; it never
 * restyles thousands of pieces, and the map holds a path per record shown (tens),
 * not a path per piece (thousands), which is what painting a frame cost
 * (bench/bench_app.py). One path per record also paints the pieces of an area
 * without the hairline seams separate translucent shapes leave between them.
 */

import { within } from "./dates.js";
import { pieceSetClass } from "./pieceset.js";
import { popupHtml } from "./popup.js";

/**
 * The CSS class naming one record, from its key (same as geomap.web.payload.record_class).
 * @param {string} key "id@valid_from"
 * @returns {string} e.g. "gm-rec-mosul-2014-06-10"
 */
export function keyClass(key) {
  return "gm-rec-" + key.replaceAll("@", "-");
}

/**
 * Every CSS class of a record's shapes: its key, layer, thing, kind, status, side and
 * whether it is approximate.
 * @param {object} r a record of the payload
 * @returns {string}
 */
export function recordClass(r) {
  return "gm-rec " + keyClass(r.k) + " gm-layer-" + r.l + " gm-id-" + r.id + " gm-kind-" + r.kd +
    (r.s ? " gm-status-" + r.s : "") + (r.cl ? " gm-side-" + r.cl : "") +
    (r.a || r.lc ? " gm-approx" : "");
}

/**
 * Every CSS class of the path of a record drawn from land pieces. It keeps Leaflet's
 * `leaflet-interactive`, without which leaflet.css turns pointer events off and the
 * area ignores clicks and hovers.
 * @param {object} r a record of the payload
 * @returns {string}
 */
export function pieceClass(r) {
  return "gm-piece leaflet-interactive " + recordClass(r);
}

/**
 * The pieces each record is drawn from: for every record index, the indexes of the
 * pieces whose runs name it (a piece shows at most one record of a layer on a day,
 * which tests/test_payload_schema.py checks on the shipped data).
 * @param {Array<object>} pieces the payload's pieces
 * @returns {Object<number, Array<number>>}
 */
export function recordMembers(pieces) {
  const out = {};
  pieces.forEach((piece, k) => {
    for (const layerId in piece.r) {
      for (const [first, count] of piece.r[layerId]) {
        for (let i = first; i < first + count; i++) { (out[i] = out[i] || []).push(k); }
      }
    }
  });
  return out;
}

/**
 * The rings of a GeoJSON Polygon or MultiPolygon, each as flat `[x0, y0, x1, y1, ...]`
 * world coordinates at scale 1, from `project(lon, lat)`.
 * @param {object} g a GeoJSON geometry
 * @param {function(number, number): Array<number>} project lon, lat to [x, y]
 * @returns {Array<Array<number>>}
 */
export function worldRings(g, project) {
  const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
  const out = [];
  polys.forEach((poly) => {
    poly.forEach((ring) => {
      const flat = [];
      ring.forEach(([lon, lat]) => { const [x, y] = project(lon, lat); flat.push(x, y); });
      out.push(flat);
    });
  });
  return out;
}

/**
 * The lon/lat box of some pieces' geometries, or null when they have no vertex.
 * @param {Array<{g: object}>} pieces the payload's pieces
 * @param {Array<number>} members indices into `pieces`
 * @returns {?Array<Array<number>>} [[south, west], [north, east]]
 */
export function piecesBounds(pieces, members) {
  let s = Infinity; let w = Infinity; let n = -Infinity; let e = -Infinity;
  members.forEach((k) => {
    worldRings(pieces[k].g, (lon, lat) => [lon, lat]).forEach((flat) => {
      for (let i = 0; i < flat.length; i += 2) {
        if (flat[i] < w) { w = flat[i]; }
        if (flat[i] > e) { e = flat[i]; }
        if (flat[i + 1] < s) { s = flat[i + 1]; }
        if (flat[i + 1] > n) { n = flat[i + 1]; }
      }
    });
  });
  return s <= n ? [[s, w], [n, e]] : null;
}

/**
 * SVG path data of rings at one scale: each vertex times `scale` minus the origin,
 * rounded to a tenth of a pixel, repeated points dropped. A ring smaller than a pixel
 * is kept (a 2 km piece is about one pixel across at the region's zoom, and the land
 * it covers must stay filled); only a ring with fewer than three points left, which
 * has no area, is left out.
 * @param {Array<Array<number>>} rings from worldRings
 * @param {number} scale
 * @param {number} ox origin x (pixels)
 * @param {number} oy origin y (pixels)
 * @returns {string} e.g. "M0 0L10 0L10 10Z"
 */
export function ringsPath(rings, scale, ox, oy) {
  const parts = [];
  rings.forEach((ring) => {
    let text = "";
    let kept = 0;
    let lx = NaN;
    let ly = NaN;
    for (let n = 0; n < ring.length; n += 2) {
      const x = Math.round((ring[n] * scale - ox) * 10) / 10;
      const y = Math.round((ring[n + 1] * scale - oy) * 10) / 10;
      if (x === lx && y === ly) { continue; }
      text += (kept ? "L" : "M") + x + " " + y;
      lx = x;
      ly = y;
      kept++;
    }
    /* A closed ring repeats its first vertex: four kept points make a triangle. */
    if (kept >= 4) { parts.push(text + "Z"); }
  });
  return parts.join("");
}

/**
 * The radius factor of place markers at `zoom`: the deepest `[zoom, factor]` step at or
 * above it, or the first step's factor below them all.
 * @param {Array<[number, number]>} steps the payload's style.markers.zoomScale
 * @param {number} zoom
 * @returns {number}
 */
export function markerScale(steps, zoom) {
  if (!steps || !steps.length) { return 1; }
  let factor = steps[0][1];
  steps.forEach(([z, f]) => { if (zoom >= z) { factor = f; } });
  return factor;
}

/**
 * Whether a record's marker is minor: a village or site IS never or not yet held,
 * hidden at the whole-region zooms.
 * @param {object} r a record of the payload
 * @param {object} markers the payload's style.markers
 * @returns {boolean}
 */
export function isMinor(r, markers) {
  return !!markers && markers.minorKinds.indexOf(r.kd) >= 0 && !!r.s &&
    markers.minorStatuses.indexOf(r.s) >= 0;
}

/**
 * Whether record r, one with a geometry of its own, is drawn on day d.
 * @param {object} r a record of the payload
 * @param {Object<string, boolean>} layerOn which layers are shown
 * @param {number} d day number
 * @returns {boolean}
 */
export function drawnOn(r, layerOn, d) {
  return r.g !== null && !!layerOn[r.l] && within(r, d);
}

/** GeoMap methods (see main.js) for records, pieces and the selection. */
export const recordMethods = {
  /* Tooltip, popup and click of a layer; they read the record current() gives when they
   * open, so a land piece, whose record changes with the date, is bound only once. */
  bindRecord(layer, current, sticky) {
    layer.bindTooltip(() => current().tip, { sticky: sticky, direction: "top", className: "gm-tip" });
    layer.bindPopup(() => popupHtml(current(), this.P), { className: "gm-popup", maxWidth: 260 });
    layer.on("click", () => { this.select(current().id, true); });
  },

  recordLayer(i) {
    if (this.cache[i]) { return this.cache[i]; }
    const r = this.P.records[i];
    const minor = isMinor(r, this.S.markers) ? " gm-minor" : "";
    const opts = Object.assign({ pane: "gm-" + r.l, className: recordClass(r) + minor },
      this.P.styles[r.si]);
    let layer;
    if (r.g.type === "Point") {
      opts.radius = opts.radius * this.markerFactor();
      layer = L.circleMarker([r.g.coordinates[1], r.g.coordinates[0]], opts);
      layer.gmRadius = this.P.styles[r.si].radius;
    } else {
      layer = L.geoJSON(r.g, opts);
    }
    this.bindRecord(layer, () => r, r.g.type !== "Point");
    this.cache[i] = layer;
    return layer;
  },

  markerFactor() {
    return markerScale(this.S.markers && this.S.markers.zoomScale, this.map.getZoom());
  },

  /* After a zoom: every place marker made at its style's radius times the zoom's factor
   * (markers not on the map now get theirs when they are next drawn). */
  scaleMarkers() {
    const factor = this.markerFactor();
    if (factor === this.markerFactorNow) { return; }
    this.markerFactorNow = factor;
    Object.keys(this.cache).forEach((i) => {
      const layer = this.cache[i];
      if (layer.gmRadius !== undefined) { layer.setRadius(layer.gmRadius * factor); }
    });
  },

  /* Show the records with a geometry of their own that hold on day d, hide the others. */
  drawRecords(d) {
    const recs = this.P.records;
    for (let i = 0; i < recs.length; i++) {
      const r = recs[i];
      if (r.g === null) { continue; }
      const vis = drawnOn(r, this.layerOn, d);
      if (vis && !this.shown[i]) {
        const layer = this.recordLayer(i);
        layer.addTo(this.map);
        this.untab(layer);
        this.shown[i] = layer;
        if (r.id === this.place) { this.mark(layer, true); }
      } else if (!vis && this.shown[i]) {
        this.map.removeLayer(this.shown[i]);
        delete this.shown[i];
      }
    }
  },

  /* The pieces' path data at the map's zoom and pixel origin, cached per piece until
   * either changes (a pan keeps them: layer points stay put while the SVG moves). */
  piecePath(k) {
    const map = this.map;
    const key = this.viewKey();
    if (!this.pieceCache || this.pieceCache.key !== key) { this.pieceCache = { key: key, paths: {} }; }
    let text = this.pieceCache.paths[k];
    if (text === undefined) {
      const crs = map.options.crs;
      const zoom = map.getZoom();
      const origin = map.getPixelOrigin();
      let rings = this.pieceRings[k];
      if (!rings) {
        rings = this.pieceRings[k] = worldRings(this.P.pieces[k].g, (lon, lat) => {
          const pt = crs.latLngToPoint(L.latLng(lat, lon), 0);
          return [pt.x, pt.y];
        });
      }
      text = this.pieceCache.paths[k] = ringsPath(rings, crs.scale(zoom) / crs.scale(0), origin.x, origin.y);
    }
    return text;
  },

  /* What layer points depend on: the zoom and the pixel origin. */
  viewKey() {
    const origin = this.map.getPixelOrigin();
    return this.map.getZoom() + ":" + origin.x + ":" + origin.y;
  },

  /* The one path of record i, drawn from its pieces (built once, kept). */
  pieceSet(i) {
    const r = this.P.records[i];
    const members = this.members[i] || [];
    const PieceSet = pieceSetClass();
    const key = () => this.viewKey();
    const data = () => members.map((k) => this.piecePath(k)).join("");
    let bounds = null;
    const boundsOf = () => {
      if (!bounds) {
        const box = piecesBounds(this.P.pieces, members);
        bounds = box ? L.latLngBounds(box) : L.latLngBounds([]);
      }
      return bounds;
    };
    const layer = new PieceSet(key, data, boundsOf,
      Object.assign({ pane: "gm-" + r.l, className: pieceClass(r) }, this.P.styles[r.si]));
    this.bindRecord(layer, () => r, true);
    return layer;
  },

  /* Day d's records drawn from the land pieces: each shown as its one path, or hidden. */
  drawPieces(d) {
    const P = this.P;
    if (!this.members) {
      this.members = recordMembers(P.pieces);
      this.pieceRecords = Object.keys(this.members).map(Number);
    }
    let changed = !this.panesWritten;
    this.pieceRecords.forEach((i) => {
      const r = P.records[i];
      const vis = !!this.layerOn[r.l] && within(r, d);
      let entry = this.pieceShown[i];
      if (vis && !(entry && entry.on)) {
        if (!entry) { entry = this.pieceShown[i] = { layer: this.pieceSet(i), rec: i, on: false }; }
        entry.layer.addTo(this.map);
        this.untab(entry.layer);
        entry.on = true;
        this.mark(entry.layer, r.id === this.place);
        changed = true;
      } else if (!vis && entry && entry.on) {
        this.map.removeLayer(entry.layer);
        entry.on = false;
        changed = true;
      }
    });
    if (changed) { this.paneRecords(); }
  },

  /* Write on each layer's pane the keys of the records its pieces show now (after a
   * change of what is shown: drawPieces calls it only then). */
  paneRecords() {
    this.panesWritten = true;
    const keys = {};
    this.P.layers.forEach((l) => { keys[l.id] = []; });
    Object.keys(this.pieceShown).forEach((i) => {
      const r = this.P.records[i];
      if (this.pieceShown[i].on && keys[r.l]) { keys[r.l].push(r.k); }
    });
    Object.keys(keys).forEach((layerId) => {
      const value = keys[layerId].sort().join(" ");
      const pane = this.map.getPane("gm-" + layerId);
      if (pane && pane.getAttribute("data-gm-recs") !== value) {
        pane.setAttribute("data-gm-recs", value);
      }
    });
  },

  mark(layer, on) {
    const paths = [];
    if (layer._path) { paths.push(layer._path); }
    if (layer.eachLayer) { layer.eachLayer((l) => { if (l._path) { paths.push(l._path); } }); }
    paths.forEach((p) => { p.classList.toggle("gm-selected", on); });
  },

  select(id, fromMap) {
    this.place = id;
    Object.keys(this.shown).forEach((i) => {
      this.mark(this.shown[i], this.P.records[i].id === id);
    });
    Object.keys(this.pieceShown).forEach((k) => {
      const entry = this.pieceShown[k];
      if (entry.on) { this.mark(entry.layer, this.P.records[entry.rec].id === id); }
    });
    this.container.setAttribute("data-gm-place", id || "");
    if (fromMap) { this.sync(0, true); }
  },

  flyTo(id) {
    const t = this.P.things[id];
    if (!t) { return; }
    this.map.closePopup();
    this.map.once("moveend", () => {
      Object.keys(this.shown).forEach((i) => {
        if (this.P.records[i].id === id) { this.shown[i].openPopup(); }
      });
    });
    this.map.flyTo([t.lat, t.lon], t.zoom, { duration: 0.6 });
  },
};
