/**
 * The legend: a toggle per layer with its key under it (shown while the layer is),
 * the notes on outlines, and the optional online street map.
 */

import { addBox, el } from "./dom.js";

/**
 * The swatch beside a layer's toggle: a dot for layers of places, else the colours
 * Python chose for it (`swatch`: one colour, or bands of a layer's sides' colours).
 * @param {object} layer an entry of the payload's layers
 * @returns {string} HTML
 */
export function layerSwatch(layer) {
  if (layer.styleBy === "status") { return '<span class="gm-sw gm-sw-dot"></span>'; }
  const colours = layer.swatch && layer.swatch.length ? layer.swatch : [layer.colour];
  if (colours.length > 1) {
    const step = 100 / colours.length;
    const stops = colours.map((c, i) => c + " " + (i * step) + "% " + ((i + 1) * step) + "%");
    return '<span class="gm-sw" style="background:linear-gradient(90deg,' + stops.join(",") +
      ')"></span>';
  }
  return '<span class="gm-sw" style="background:' + colours[0] + '"></span>';
}

/** The legend starts collapsed when, open, it would cover more than this share of the map. */
export const LEGEND_MAX_SHARE = 0.15;

/**
 * Whether an open legend of `box` size would cover too much of a `map`-sized frame.
 * @param {{width: number, height: number}} box the open legend's box (px)
 * @param {{width: number, height: number}} map the map's frame (px)
 * @returns {boolean}
 */
export function legendTooBig(box, map) {
  const area = map.width * map.height;
  return area <= 0 || (box.width * box.height) / area > LEGEND_MAX_SHARE;
}

/**
 * One row of a layer's key: its swatch and escaped label.
 * @param {{shape: string, colour: string, opacity: number, label: string}} row
 * @returns {string} HTML
 */
export function legendRowHtml(row) {
  return '<span class="gm-sw' + (row.shape === "dot" ? " gm-sw-dot" : "") +
    '" style="background:' + row.colour + ";opacity:" + row.opacity + '"></span>' + row.label;
}

/**
 * The notes under the layers: dashed and dotted outlines, and that all shapes are approximate.
 * @param {object} notes the payload's style.notes
 * @returns {string[]} HTML of each note
 */
export function notesHtml(notes) {
  return [
    '<span class="gm-sw gm-sw-dash"></span>' + notes.approximate,
    '<span class="gm-sw gm-sw-dot2"></span>' + notes.low,
    notes.all,
  ];
}

/** GeoMap methods (see main.js) for the legend. */
export const legendMethods = {
  buildLegend() {
    const P = this.P;
    addBox(this.map, "topright", () => {
      const box = el("div", "gm-legend leaflet-bar");
      const head = el("button", "gm-legend-head", box, "Layers and legend");
      const body = el("div", "gm-legend-body", box);
      head.setAttribute("aria-expanded", "true");
      const collapse = (on) => {
        box.classList.toggle("gm-collapsed", on);
        head.setAttribute("aria-expanded", on ? "false" : "true");
      };
      L.DomEvent.on(head, "click", () => {
        this.legendChosen = true;  /* the reader decides from now on */
        collapse(!box.classList.contains("gm-collapsed"));
      });
      this.collapseLegend = collapse;
      this.legendBox = box;
      this.legendChosen = false;
      /* Collapsed until measured: an open legend must never flash over a phone's map. */
      collapse(true);
      this.boxes = {};
      this.legendLists = {};
      P.layers.forEach((l) => {
        const row = el("label", "gm-layer-row", body);
        const cb = el("input", "gm-toggle gm-toggle-" + l.id, row);
        cb.type = "checkbox";
        cb.checked = l.on;
        this.boxes[l.id] = cb;
        el("span", "", row, layerSwatch(l) + l.label);
        L.DomEvent.on(cb, "change", () => {
          this.layerOn[l.id] = cb.checked;
          this.setDay(this.day, "layers");
          this.sync(0);
        });
        if (l.legend.length) {
          const list = el("div", "gm-status-list gm-legend-" + l.id, body);
          this.legendLists[l.id] = list;
          l.legend.forEach((r) => { el("div", "gm-status-row", list, legendRowHtml(r)); });
        }
      });
      notesHtml(this.S.notes).forEach((html) => { el("div", "gm-note", body, html); });
      const arabic = el("label", "gm-layer-row gm-arabic", body);
      const ar = this.langBox = el("input", "gm-toggle gm-toggle-arabic", arabic);
      ar.type = "checkbox";
      ar.checked = this.lang === "ar";
      el("span", "", arabic, "Place names in Arabic (<span lang=\"ar\">عربي</span>)");
      L.DomEvent.on(ar, "change", () => { this.setLang(ar.checked ? "ar" : "en"); });
      const online = el("label", "gm-layer-row gm-online", body);
      const cb = el("input", "gm-toggle gm-toggle-tiles", online);
      cb.type = "checkbox";
      cb.checked = false;
      el("span", "", online, "Online street map (needs internet)");
      L.DomEvent.on(cb, "change", () => { this.toggleTiles(cb.checked); });
      return box;
    });
  },

  /* Until the reader opens or closes it, the legend is open only where it covers at
   * most LEGEND_MAX_SHARE of the map (run on every resize, once the CSS applies). */
  fitLegend() {
    this.whenCssReady(() => { this.fitLegendNow(); });
  },

  fitLegendNow() {
    if (this.legendChosen || !this.legendBox) { return; }
    this.collapseLegend(false);
    const big = legendTooBig(this.legendBox.getBoundingClientRect(),
      this.container.getBoundingClientRect());
    this.collapseLegend(big);
    this.legendBox.setAttribute("data-gm-fitted", big ? "collapsed" : "open");
  },

  /* The key of a layer is listed only while the layer is shown: the legend stays short. */
  showKeys() {
    const lists = this.legendLists || {};
    for (const id in lists) { lists[id].classList.toggle("gm-legend-off", !this.layerOn[id]); }
  },

  toggleTiles(on) {
    const T = this.P.tiles;
    if (on && !this.tiles) {
      this.tiles = L.tileLayer(T.url, { attribution: T.attribution, maxZoom: T.maxZoom, opacity: T.opacity });
      this.tiles.addTo(this.map);
    } else if (!on && this.tiles) {
      this.map.removeLayer(this.tiles);
      this.tiles = null;
    }
  },
};
