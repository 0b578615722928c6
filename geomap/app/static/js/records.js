/**
 * Records and the shared land pieces on the map: which to show on a day, their
 * CSS classes, their Leaflet layers (built once, kept), and the selected thing.
 *
 * A record with a geometry of its own gets one Leaflet layer, added and removed as
 * the date moves. Records drawn from the land pieces (g null) have none: each piece
 * is drawn once per layer and restyled to the record of the piece that holds.
 */

import { within } from "./dates.js";
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
 * Every CSS class of a shared land piece drawn for record r. It keeps Leaflet's
 * `leaflet-interactive`, without which leaflet.css turns pointer events off and the
 * piece ignores clicks and hovers.
 * @param {object} r a record of the payload
 * @returns {string}
 */
export function pieceClass(r) {
  return "gm-piece leaflet-interactive " + recordClass(r);
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
 * The index of the record holding on day d among `[first, count]` runs of indexes into
 * `records` (a piece's records on one layer), or -1 for none.
 * @param {Array<[number, number]>} runs
 * @param {Array<object>} records the payload's records
 * @param {number} d day number
 * @returns {number}
 */
export function heldBy(runs, records, d) {
  for (const [first, count] of runs) {
    for (let n = first; n < first + count; n++) {
      if (within(records[n], d)) { return n; }
    }
  }
  return -1;
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

  /* A shared piece of land drawn for one record of one layer: restyled, never rebuilt. */
  showPiece(key, piece, layerId, i) {
    const r = this.P.records[i];
    let entry = this.pieceShown[key];
    if (!entry) {
      const layer = L.geoJSON(piece.g, Object.assign({ pane: "gm-" + layerId }, this.P.styles[r.si]));
      entry = this.pieceShown[key] = { layer: layer, rec: -1, si: r.si, on: false };
      /* A change of date then only restyles the pieces whose look changes. */
      this.bindRecord(layer, () => this.P.records[entry.rec], true);
    }
    if (!entry.on) {
      entry.layer.addTo(this.map);
      this.untab(entry.layer);
      entry.on = true;
      entry.rec = -1;
    }
    if (entry.rec !== i) {
      entry.rec = i;
      if (entry.si !== r.si) {
        entry.si = r.si;
        entry.layer.setStyle(this.P.styles[r.si]);
      }
      const cls = pieceClass(r);
      entry.layer.eachLayer((l) => { if (l._path) { l._path.setAttribute("class", cls); } });
      this.mark(entry.layer, r.id === this.place);
    }
  },

  hidePiece(key) {
    const entry = this.pieceShown[key];
    if (entry && entry.on) {
      this.map.removeLayer(entry.layer);
      entry.on = false;
    }
  },

  drawPieces(d) {
    const P = this.P;
    P.pieces.forEach((piece, k) => {
      for (const layerId in piece.r) {
        const key = k + ":" + layerId;
        const found = this.layerOn[layerId] ? heldBy(piece.r[layerId], P.records, d) : -1;
        if (found >= 0) { this.showPiece(key, piece, layerId, found); } else { this.hidePiece(key); }
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
