/**
 * One roving focus for the map's shapes, and a skip link to the timeline.
 *
 * Leaflet's tooltips listen for focus on every shape, which makes Chromium put each
 * SVG path in the Tab order: thousands of stops before the zoom buttons and the
 * timeline. Here every shape is taken out of the Tab order (`tabindex="-1"`) but one,
 * the roving stop; when it has focus, the arrow keys move it from shape to shape (one
 * stop per thing on the map: each area, then each place by name), Enter or Space opens
 * it as a click does, and Escape goes back to the map. The timeline's buttons come
 * first in the Tab order (`timelineFirst`), so the date slider is a few presses from
 * the top of the page.
 */

import { el } from "./dom.js";

/** How long after the last redraw the roving stop is chosen again (ms). */
const REFOCUS_DELAY_MS = 250;

/** Keys that move the roving focus, and by how much. */
export const ROVE_KEYS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

/**
 * The index the focus moves to from `at` among `count` stops for `key`, or null when
 * the key does not move it. Home and End go to the ends; the arrows wrap around.
 * @param {string} key a KeyboardEvent key
 * @param {number} at the focused stop (-1 for none)
 * @param {number} count how many stops there are
 * @returns {number|null}
 */
export function roveTo(key, at, count) {
  if (count <= 0) { return null; }
  if (key === "Home") { return 0; }
  if (key === "End") { return count - 1; }
  const step = ROVE_KEYS[key];
  if (step === undefined) { return null; }
  if (at < 0) { return step > 0 ? 0 : count - 1; }
  return (at + step + count) % count;
}

/**
 * The focus stops among the shapes drawn: one per thing, areas first (by name), then
 * places (by name). Each item is `{id, name, area}`, with `area` true for a polygon.
 * @param {Array<{id: string, name: string, area: boolean}>} drawn one entry per drawn shape
 * @returns {Array<{id: string, name: string, area: boolean}>}
 */
export function focusStops(drawn) {
  const seen = new Map();
  drawn.forEach((d) => { if (!seen.has(d.id)) { seen.set(d.id, d); } });
  return Array.from(seen.values()).sort((a, b) =>
    (a.area === b.area ? 0 : a.area ? -1 : 1) || a.name.localeCompare(b.name));
}

/** GeoMap methods (see main.js) for the keyboard. */
export const focusMethods = {
  /* Put the timeline first in the Tab order: its corner of the map's boxes, then all the
   * corners, go before the map's panes in the document (their places on screen are set
   * by CSS and do not change). */
  timelineFirst() {
    const corner = this.timelineBox && this.timelineBox.parentNode;
    const corners = corner && corner.parentNode;
    if (!corner || !corners) { return; }
    corners.insertBefore(corner, corners.firstChild);
    this.container.insertBefore(corners, this.container.firstChild);
  },

  /* Insert the skip link before the map: the first Tab stop inside the map's frame. */
  buildSkipLink() {
    const link = el("a", "gm-skip");
    link.href = "#";
    link.textContent = "Skip to the timeline";
    this.container.parentNode.insertBefore(link, this.container);
    L.DomEvent.on(link, "click", (e) => {
      L.DomEvent.preventDefault(e);
      if (this.slider) { this.slider.focus(); }
    });
    L.DomEvent.on(this.container, "keydown", (e) => { this.roveKey(e); });
  },

  /* Every shape path drawn now, with the thing it shows, in document order. */
  drawnShapes() {
    const out = [];
    const add = (layer, rec) => {
      const paths = [];
      if (layer._path) { paths.push(layer._path); }
      if (layer.eachLayer) { layer.eachLayer((l) => { if (l._path) { paths.push(l._path); } }); }
      paths.forEach((p) => { out.push({ path: p, rec: rec }); });
    };
    Object.keys(this.shown).forEach((i) => { add(this.shown[i], this.P.records[i]); });
    Object.keys(this.pieceShown).forEach((k) => {
      const entry = this.pieceShown[k];
      if (entry.on) { add(entry.layer, this.P.records[entry.rec]); }
    });
    return out;
  },

  /* A shape just drawn leaves the Tab order (the roving stop brings it back). */
  untab(layer) {
    if (layer._path) { layer._path.setAttribute("tabindex", "-1"); }
    if (layer.eachLayer) {
      layer.eachLayer((l) => { if (l._path) { l._path.setAttribute("tabindex", "-1"); } });
    }
  },

  /* After redraws settle (never inside a scrub's frame): keep one roving stop. */
  refocusSoon() {
    clearTimeout(this.refocusTimer);
    this.refocusTimer = setTimeout(() => { this.refocus(); }, REFOCUS_DELAY_MS);
  },

  refocus() {
    const old = this.container.querySelectorAll("path[tabindex='0']");
    const focused = Array.prototype.find.call(old, (p) => p === document.activeElement);
    if (focused) { return; }  /* the reader is on it: leave it */
    old.forEach((p) => { p.setAttribute("tabindex", "-1"); });
    const shapes = this.drawnShapes();
    const want = this.roveId || this.place;
    const stop = (want && this.biggest(shapes, want)) || this.biggest(shapes, null);
    if (stop) { this.makeStop(stop); }
  },

  /* The shape of thing `id` (or of any thing, for null) with the largest box on screen. */
  biggest(shapes, id) {
    let best = null;
    let size = -1;
    shapes.forEach((s) => {
      if (id !== null && s.rec.id !== id) { return; }
      const r = s.path.getBoundingClientRect();
      if (r.width * r.height > size) { size = r.width * r.height; best = s; }
    });
    return best;
  },

  makeStop(s) {
    s.path.setAttribute("tabindex", "0");
    s.path.setAttribute("role", "button");
    s.path.setAttribute("aria-label", s.rec.tip + ". Arrow keys: next shape; Enter: notes");
    return s.path;
  },

  roveKey(e) {
    const target = e.target;
    if (!target || target.tagName !== "path" || target.getAttribute("tabindex") !== "0") {
      return;
    }
    const shapes = this.drawnShapes();
    const mine = shapes.find((s) => s.path === target);
    if (!mine) { return; }
    if (e.key === "Enter" || e.key === " ") {
      L.DomEvent.stop(e);
      const layer = this.layerOfPath(target);
      if (layer) {
        const at = layer.getBounds ? layer.getBounds().getCenter() : layer.getLatLng();
        /* Propagated, so that a land piece's group (which holds the popup) hears it. */
        layer.fire("click", { latlng: at, originalEvent: e }, true);
      }
      return;
    }
    if (e.key === "Escape") { L.DomEvent.stop(e); this.container.focus(); return; }
    const stops = focusStops(shapes.map((s) => ({
      id: s.rec.id, name: s.rec.tip, area: !(s.rec.g && s.rec.g.type === "Point"),
    })));
    const at = stops.findIndex((s) => s.id === mine.rec.id);
    const to = roveTo(e.key, at, stops.length);
    if (to === null) { return; }
    L.DomEvent.stop(e);
    const next = this.biggest(shapes, stops[to].id);
    if (!next) { return; }
    target.setAttribute("tabindex", "-1");
    this.roveId = stops[to].id;
    this.makeStop(next).focus();
  },

  /* The Leaflet layer whose path is `path`, among the drawn records and pieces. */
  layerOfPath(path) {
    let found = null;
    const look = (layer) => {
      if (found) { return; }
      if (layer._path === path) { found = layer; return; }
      if (layer.eachLayer) { layer.eachLayer((l) => { if (l._path === path) { found = l; } }); }
    };
    Object.keys(this.shown).forEach((i) => { look(this.shown[i]); });
    Object.keys(this.pieceShown).forEach((k) => {
      if (this.pieceShown[k].on) { look(this.pieceShown[k].layer); }
    });
    return found;
  },
};
