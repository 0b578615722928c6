/**
 * The base map (countries, provinces, rivers) and its place labels, which never
 * overprint one another.
 */

/** Room kept between two labels (px): sideways, and above and below. */
const LABEL_GAP_X = 3;
const LABEL_GAP_Y = 1;

/**
 * Whether two label boxes come closer than the room kept between labels.
 * @param {{left: number, right: number, top: number, bottom: number}} a
 * @param {{left: number, right: number, top: number, bottom: number}} b
 * @returns {boolean}
 */
export function crowds(a, b) {
  return a.left < b.right + LABEL_GAP_X && a.right + LABEL_GAP_X > b.left &&
    a.top < b.bottom + LABEL_GAP_Y && a.bottom + LABEL_GAP_Y > b.top;
}

/**
 * Which labels to hide: each that would crowd one kept before it, in order (the
 * payload lists the article's places first, then by population).
 * @param {Array<object|null>} boxes each label's box, or null for one not laid out
 * @returns {boolean[]} true for a label to hide
 */
export function crowdedOut(boxes) {
  const kept = [];
  return boxes.map((r) => {
    if (!r) { return false; }
    if (kept.some((k) => crowds(r, k))) { return true; }
    kept.push(r);
    return false;
  });
}

/** Languages the labels can be written in. */
export const LANGS = ["en", "ar"];

/**
 * A label's HTML in `lang`: the Arabic name, right to left, where the payload has one
 * (`p[4]`), else the English one. Both are escaped by Python.
 * @param {Array} p a label of the payload: [lat, lon, name, rank, Arabic name or ""]
 * @param {string} lang "en" or "ar"
 * @returns {string}
 */
export function labelHtml(p, lang) {
  if (lang === "ar" && p[4]) { return '<span lang="ar" dir="rtl">' + p[4] + "</span>"; }
  return "<span>" + p[2] + "</span>";
}

/**
 * The labels' language a page asks for with `?lang=ar` (in the map's own address or,
 * inside the app, in the page's): "ar" or "en".
 * @param {Window} w the map frame's window
 * @returns {string}
 */
export function pageLang(w) {
  const read = (loc) => new URLSearchParams(loc.search).get("lang");
  let lang = null;
  try { lang = read(w.location); } catch (e) { lang = null; }
  if (!lang) {
    try { lang = w.parent && w.parent !== w ? read(w.parent.location) : null; } catch (e) { lang = null; }
  }
  return LANGS.indexOf(lang) >= 0 ? lang : "en";
}

/** GeoMap methods (see main.js) for the base map and its labels. */
export const basemapMethods = {
  drawBasemap() {
    const B = this.P.basemap;
    const look = this.S.basemap;
    const map = this.map;
    B.countries.forEach((c) => {
      L.geoJSON(c.g, Object.assign({
        pane: "gmLand", interactive: false, className: "gm-land",
      }, look.land)).addTo(map);
    });
    B.admin1.forEach((a) => {
      L.geoJSON(a.g, Object.assign({
        pane: "gmAdmin", interactive: false, className: "gm-admin", fill: false,
      }, look.admin)).addTo(map);
    });
    B.rivers.forEach((r) => {
      L.geoJSON(r.g, Object.assign({
        pane: "gmRivers", interactive: false, className: "gm-river",
      }, look.river)).addTo(map);
    });
    this.lang = pageLang(window);
    this.container.setAttribute("data-gm-lang", this.lang);
    this.labels = B.places.map((p) => L.marker([p[0], p[1]], {
      pane: "gmLabels", interactive: false, keyboard: false, icon: this.labelIcon(p),
    }).addTo(map));
  },

  labelIcon(p) {
    return L.divIcon({ className: "gm-place gm-rank-" + p[3], html: labelHtml(p, this.lang), iconSize: null });
  },

  /* Write the labels in `lang` ("ar" or "en") and lay them out again. */
  setLang(lang) {
    this.lang = lang === "ar" ? "ar" : "en";
    this.container.setAttribute("data-gm-lang", this.lang);
    this.P.basemap.places.forEach((p, i) => { this.labels[i].setIcon(this.labelIcon(p)); });
    this.declutterSoon();
  },

  /* Hide every label that would overprint one that comes before it in the payload's
   * order. All boxes are read in one pass after un-hiding, so the page lays out once. */
  declutter() {
    this.whenCssReady(() => { this.declutterNow(); });
  },

  declutterNow() {
    const els = this.labels.map((m) => m.getElement());
    els.forEach((e) => { if (e) { e.classList.remove("gm-hidden"); } });
    const boxes = els.map((e) => {
      const span = e && e.firstChild;
      const r = span && span.getBoundingClientRect ? span.getBoundingClientRect() : null;
      return r && r.width > 0 ? r : null;
    });
    crowdedOut(boxes).forEach((hide, i) => { if (hide) { els[i].classList.add("gm-hidden"); } });
    this.declutters = (this.declutters || 0) + 1;
    this.container.setAttribute("data-gm-declutter", String(this.declutters));
  },

  /* Place the labels in the next frame, and once more when the map has been still
   * for a moment (marker positions can still move in the frames after a zoom). */
  declutterSoon() {
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => { this.declutter(); }, 300);
    if (this.declutterPending) { return; }
    this.declutterPending = true;
    const run = () => { this.declutterPending = false; this.declutter(); };
    if (window.requestAnimationFrame) { window.requestAnimationFrame(run); } else { run(); }
  },
};
