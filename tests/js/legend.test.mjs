import assert from "node:assert/strict";
import test from "node:test";

import { layerSwatch, legendRowHtml, notesHtml } from "../../geomap/app/static/js/legend.js";
import { fixture } from "./contract.mjs";

const P = fixture();
const layer = (id) => P.layers.find((l) => l.id === id);

test("a layer's key lists the payload's legend rows, in their colours and order", () => {
  const cities = layer("captured_cities");
  const rows = cities.legend.map(legendRowHtml);
  assert.equal(rows.length, Object.keys(P.status).length);
  assert.equal(rows[0], '<span class="gm-sw gm-sw-dot" style="background:' + P.status.held.colour +
    ';opacity:1"></span>' + P.status.held.label);
  const sides = layer("control").legend.map(legendRowHtml);
  assert.ok(sides[0].startsWith('<span class="gm-sw" style="background:' + P.sides.is.colour + ";opacity:0.8"));
  assert.ok(sides[0].endsWith("</span>" + P.sides.is.label));
});

test("a layer of places has a dot beside its toggle, any other its colour", () => {
  assert.equal(layerSwatch(layer("captured_cities")), '<span class="gm-sw gm-sw-dot"></span>');
  const territory = layer("territory");
  assert.equal(layerSwatch(territory), '<span class="gm-sw" style="background:' + territory.colour + '"></span>');
});

test("the notes come from the payload's wording", () => {
  const notes = notesHtml(P.style.notes);
  assert.equal(notes.length, 3);
  assert.ok(notes[0].endsWith(P.style.notes.approximate) && notes[0].includes("gm-sw-dash"));
  assert.ok(notes[1].endsWith(P.style.notes.low) && notes[1].includes("gm-sw-dot2"));
  assert.equal(notes[2], P.style.notes.all);
});

test("labels are inserted as the payload escaped them", () => {
  const row = { shape: "box", colour: "#000000", opacity: 1, label: "A &amp; B" };
  assert.ok(legendRowHtml(row).endsWith("</span>A &amp; B"));
});

test("the legend starts collapsed where it would cover more than 15% of the map", async () => {
  const { legendTooBig } = await import("../../geomap/app/static/js/legend.js");
  assert.equal(legendTooBig({ width: 200, height: 300 }, { width: 1000, height: 640 }), false);
  assert.equal(legendTooBig({ width: 260, height: 420 }, { width: 870, height: 640 }), true);
  assert.equal(legendTooBig({ width: 200, height: 300 }, { width: 390, height: 500 }), true);
  assert.equal(legendTooBig({ width: 10, height: 10 }, { width: 0, height: 0 }), true);
});

test("a layer coloured by side shows its sides' colours, not black", () => {
  const control = layer("control");
  const html = layerSwatch(control);
  assert.ok(html.includes("linear-gradient") && html.includes(control.legend[0].colour), html);
});
