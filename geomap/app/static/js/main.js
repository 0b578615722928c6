/**
 * geomap's map script, entry module: draws the basemap, switches pre-built per-record
 * layers when the date moves (no Streamlit rerun, no map rebuild), runs the timeline,
 * legend and story card, and reports date, place, layers and story step back to
 * Python through the streamlit-folium component value.
 *
 * Python owns the whole style and the layer list: panes, legend rows, colours,
 * weights, dashes, markers and the basemap look all come from the payload, whose
 * keys are described once in geomap/web/payload_schema.py. Data-supplied text in
 * the payload arrives HTML-escaped; the script inserts it where HTML is expected
 * and never puts an identifier from the data into an HTML string.
 *
 * Modules: contract (payload version), dates (day numbers, the date policy), dom,
 * popup, records (records, pieces, selection), pieceset (one path for the pieces of a
 * record), basemap (and its labels), timeline, legend, story, focus (the keyboard's
 * roving stop and skip link), sync (messages with Python), address (the app's address
 * bar and its history entries), and this one, which joins them into
 * one GeoMap and installs `window.geomapInit(map, payload)` and
 * `window.geomapCommand(cmd)`.
 *
 * Loading: the app serves the modules as they are, started by the classic
 * script boot.js, which queues calls made before this module has run (see there).
 * The HTML export inlines them as one classic script (geomap/web/js_bundle.py).
 */

import { basemapMethods } from "./basemap.js";
import { checkPayload } from "./contract.js";
import { dayRule, iso } from "./dates.js";
import { focusMethods } from "./focus.js";
import { legendMethods } from "./legend.js";
import { recordMethods } from "./records.js";
import { storyMethods } from "./story.js";
import { syncMethods } from "./sync.js";
import { timelineMethods } from "./timeline.js";

/** One map: its payload, what it shows and its boxes. */
class GeoMap {
  /**
   * @param {object} map the Leaflet map
   * @param {object} P the payload (geomap/schema/payload.schema.json)
   */
  constructor(map, P) {
    this.map = map;
    this.P = P;
    this.S = P.style;
    this.layerOn = {};
    P.layers.forEach((l) => { this.layerOn[l.id] = l.on; });
    this.cache = {};
    this.shown = {};
    this.pieceShown = {};
    this.panesWritten = false;
    this.members = null;
    this.pieceRecords = null;
    this.pieceCache = null;
    this.pieceRings = {};
    this.place = null;
    this.lastNonce = null;
    this.playing = null;
    this.syncTimer = null;
    this.syncPush = false;
    this.addressSettled = false;
    this.sent = 0;
    this.session = Math.random().toString(36).slice(2, 8);
    this.tiles = null;
    this.day = P.defaultDay;
    this.container = map.getContainer();
    const css = this.S.css;
    Object.keys(css).forEach((k) => { this.container.style.setProperty(k, css[k]); });
    const panes = this.S.panes;
    const paneList = [["gmLand", panes.land], ["gmAdmin", panes.admin], ["gmRivers", panes.rivers],
      ["gmLabels", panes.labels]];
    P.layers.forEach((l) => { paneList.push(["gm-" + l.id, l.z]); });
    paneList.forEach(([name, z]) => { map.createPane(name).style.zIndex = z; });
    map.getPane("gmLabels").style.pointerEvents = "none";
    if (map.attributionControl && P.attribution) {
      map.attributionControl.setPrefix(false);
      map.attributionControl.addAttribution(P.attribution);
    }
    this.drawBasemap();
    this.buildSkipLink();
    this.buildTimeline();
    this.timelineFirst();
    this.buildLegend();
    this.story = null;
    this.stepNo = null;
    this.buildStory();
    const relayout = () => {
      this.zoomClass();
      this.fitLegend();
      this.declutterSoon();
      this.reframe();
    };
    map.on("zoomend resize", relayout);
    map.on("moveend", () => { this.declutterSoon(); });
    /* The frame may get its final size (and the labels their boxes) after this script. */
    if (window.ResizeObserver) { new ResizeObserver(relayout).observe(this.container); }
    relayout();
    const initial = P.initial === null || P.initial === undefined ? P.defaultDay : P.initial;
    if (!this.setDay(initial, "init")) { this.setDay(P.defaultDay, "init"); }
  }

  zoomClass() {
    const zoom = this.map.getZoom();
    this.container.classList.toggle("gm-zoom-far", zoom < 8);
    this.container.classList.toggle("gm-minor-off", zoom < this.S.markers.minorBelowZoom);
    this.scaleMarkers();
    this.container.classList.toggle("gm-narrow", this.container.clientWidth < this.S.narrow);
  }

  /* streamlit-folium adds the style sheets after the scripts: until geomap.css
   * applies (it sets --gm-css-loaded), boxes are not their final size. */
  cssReady() {
    return !!getComputedStyle(this.container).getPropertyValue("--gm-css-loaded").trim();
  }

  /* Run `fn` now if geomap.css applies, else on a later frame once it does (up to 120
   * frames); `fn(true)` tells it it was delayed. */
  whenCssReady(fn, tries) {
    if (this.cssReady()) { fn(!!tries); return; }
    tries = tries || 0;
    if (tries < 120 && window.requestAnimationFrame) {
      window.requestAnimationFrame(() => { this.whenCssReady(fn, tries + 1); });
    }
  }

  /**
   * Show day d under the one date policy (dates.js dayRule): a day after the end shows
   * the final state, with a note; a day before the start is refused (the map keeps its
   * day and says why).
   * @param {number} d day number
   * @param {string} origin who asks: init, slider, step, play, layers, story, python
   * @returns {boolean} false when refused
   */
  setDay(d, origin) {
    const P = this.P;
    const rule = dayRule(d, P.start, P.end);
    if (rule.day === null) {
      if (window.console) { window.console.warn("geomap: " + rule.note + " (" + origin + ")"); }
      this.showDay(this.day, rule.note);
      return false;
    }
    this.day = rule.day;
    this.drawRecords(this.day);
    this.drawPieces(this.day);
    this.showDay(this.day, rule.note);
    this.container.setAttribute("data-gm-date", iso(this.day));
    this.showKeys();
    this.storyAway();
    this.refocusSoon();
    return true;
  }

  /* Show the layers named in `ids` and hide the others (the legend's boxes follow). */
  showLayers(ids) {
    Object.keys(this.layerOn).forEach((k) => {
      this.layerOn[k] = ids.indexOf(k) >= 0;
      if (this.boxes && this.boxes[k]) { this.boxes[k].checked = this.layerOn[k]; }
    });
  }
}

Object.assign(GeoMap.prototype, basemapMethods, recordMethods, timelineMethods, legendMethods,
  storyMethods, syncMethods, focusMethods);

/** The last command that came before the map was drawn (each command is a whole view). */
let waitingCommand = null;

/* folium's page header forbids zooming the page (user-scalable=no), which shuts out
 * readers who need to enlarge text; allow it. */
function allowPageZoom() {
  document.querySelectorAll('meta[name="viewport"]').forEach((m) => {
    m.setAttribute("content", "width=device-width, initial-scale=1");
  });
}

function start(map, payload) {
  allowPageZoom();
  const t0 = window.performance ? performance.now() : 0;
  window.geomap = new GeoMap(map, checkPayload(payload));
  /* For bench/bench_app.py: when the script started drawing and how long it took. */
  window.geomapTiming = { start: t0, init: (window.performance ? performance.now() : 0) - t0 };
  if (waitingCommand) { window.geomap.command(waitingCommand); waitingCommand = null; }
  if (payload.storyScroll) { window.geomap.storyScroll(payload.storyScroll); }
}

/**
 * Draw the map. The app passes `{src: url}` (a same-origin cached file, maybe already
 * being fetched by preload.js); exports pass the payload itself.
 * @param {object} map the Leaflet map
 * @param {object} payload the payload, or `{src: url}`
 */
export function geomapInit(map, payload) {
  if (payload && payload.src) {
    loadingLine(document, "Loading the map: downloading its data\u2026");
    const pre = window.geomapPrefetch;
    const data = pre && pre.src === payload.src ? pre.data
      : fetch(payload.src, { credentials: "same-origin" }).then((r) => {
        if (!r.ok) { throw new Error("payload " + r.status); }
        return r.json();
      });
    data.then((p) => {
      loadingLine(document, "Loading the map: drawing it\u2026");
      start(map, p);
      loadingLine(document, null);
    }).catch((err) => {
      loadingLine(document, "The map could not be loaded (" + (err && err.message) +
        "). Reload the page to try again.");
      throw err;
    });
  } else {
    start(map, payload);
  }
}

/**
 * The map area's loading line (put up by preload.js, or here): a role=status line,
 * so that a screen reader announces what the map is doing. `null` removes it.
 * @param {Document} doc the map frame's document
 * @param {string|null} text what to say
 * @returns {HTMLElement|null} the line
 */
export function loadingLine(doc, text) {
  let line = doc.querySelector(".gm-loading");
  if (text === null) {
    if (line) { line.remove(); }
    return null;
  }
  if (!line) {
    line = doc.createElement("div");
    line.className = "gm-loading";
    line.setAttribute("role", "status");
    line.setAttribute("aria-live", "polite");
    doc.body.appendChild(line);
  }
  line.textContent = text;
  return line;
}

/**
 * Run a command from Python (or keep it until the map is drawn).
 * @param {object} cmd a Command
 */
export function geomapCommand(cmd) {
  if (window.geomap) { window.geomap.command(cmd); } else { waitingCommand = cmd; }
}

/**
 * Make `geomapInit` and `geomapCommand` global, and run the calls boot.js queued in
 * `geomapQueue` before this module had run (`["init", map, payload]`, `["command", cmd]`).
 * @param {object} w the window
 */
export function install(w) {
  const queued = Array.isArray(w.geomapQueue) ? w.geomapQueue : [];
  w.geomapQueue = null;
  w.geomapInit = geomapInit;
  w.geomapCommand = geomapCommand;
  queued.forEach((call) => {
    if (call[0] === "init") { geomapInit(call[1], call[2]); } else { geomapCommand(call[1]); }
  });
}

if (typeof window !== "undefined") { install(window); }
