/**
 * The legend: a toggle per layer with its key under it (shown while the layer is),
 * the notes on outlines, and the optional online street map.
 */

import { addBox, el } from "./dom.js";

/**
 * The swatch beside a layer's toggle: a dot for layers of places, else its colour.
 * @param {object} layer an entry of the payload's layers
 * @returns {string} HTML
 */
export function layerSwatch(layer) {
  return layer.styleBy === "status" ? '<span class="gm-sw gm-sw-dot"></span>'
    : '<span class="gm-sw" style="background:' + layer.colour + '"></span>';
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
      L.DomEvent.on(head, "click", () => { collapse(!box.classList.contains("gm-collapsed")); });
      this.collapseLegend = collapse;
      if (this.container.clientWidth < this.S.narrow) { collapse(true); }
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
      const online = el("label", "gm-layer-row gm-online", body);
      const cb = el("input", "gm-toggle gm-toggle-tiles", online);
      cb.type = "checkbox";
      cb.checked = false;
      el("span", "", online, "Online street map (needs internet)");
      L.DomEvent.on(cb, "change", () => { this.toggleTiles(cb.checked); });
      return box;
    });
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
