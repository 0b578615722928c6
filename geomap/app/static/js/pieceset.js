/**
 * PieceSet: a Leaflet path whose SVG path data another object supplies, for a record
 * drawn from many land pieces as one path (records.js builds the data from its
 * per-piece cache). It has no vertices of its own for Leaflet to project, clip or
 * simplify; it asks for its data again only when the key of that data (the zoom and
 * pixel origin) changes or Leaflet has made it a new path element.
 *
 * The class is made on first use, not when the module loads, so that the module can
 * be imported where Leaflet is absent (node's unit tests).
 */

let made = null;

/**
 * The PieceSet class: `new PieceSet(key, data, bounds, options)`, where `key()` names
 * the current path data, `data()` returns it, and `bounds()` gives the LatLngBounds
 * the popup of a key press opens at. `options` are Leaflet path options.
 * @returns {Function}
 */
export function pieceSetClass() {
  if (made) { return made; }
  made = L.Path.extend({
    /* An area, filled as L.Polygon is (L.Path alone draws no fill). */
    options: { fill: true },
    initialize(key, data, bounds, options) {
      L.setOptions(this, options);
      this.gmKey = key;
      this.gmData = data;
      this.gmBounds = bounds;
      this.gmDrawn = null;
    },
    /* Leaflet projects on zoom; the data is projected by whoever supplies it. */
    _project() {},
    _update() {
      if (!this._map || !this._path) { return; }
      const key = this.gmKey();
      if (this.gmDrawn && this.gmDrawn.path === this._path && this.gmDrawn.key === key) { return; }
      this._renderer._setPath(this, this.gmData() || "M0 0");
      this.gmDrawn = { path: this._path, key: key };
    },
    getBounds() {
      return this.gmBounds();
    },
  });
  return made;
}
