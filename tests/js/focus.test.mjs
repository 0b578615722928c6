import assert from "node:assert/strict";
import test from "node:test";

import { focusStops, roveTo } from "../../geomap/app/static/js/focus.js";

test("the arrows move the roving stop and wrap; Home and End go to the ends", () => {
  assert.equal(roveTo("ArrowRight", 0, 3), 1);
  assert.equal(roveTo("ArrowDown", 2, 3), 0);
  assert.equal(roveTo("ArrowLeft", 0, 3), 2);
  assert.equal(roveTo("ArrowUp", 1, 3), 0);
  assert.equal(roveTo("Home", 2, 3), 0);
  assert.equal(roveTo("End", 0, 3), 2);
  assert.equal(roveTo("ArrowRight", -1, 3), 0);
  assert.equal(roveTo("ArrowLeft", -1, 3), 2);
});

test("other keys and an empty map do not move it", () => {
  assert.equal(roveTo("a", 0, 3), null);
  assert.equal(roveTo("Tab", 0, 3), null);
  assert.equal(roveTo("ArrowRight", 0, 0), null);
});

test("one stop per thing: areas first, then places, each by name", () => {
  const stops = focusStops([
    { id: "raqqa", name: "Raqqa", area: false },
    { id: "isis-territory", name: "IS-held", area: true },
    { id: "isis-territory", name: "IS-held", area: true },
    { id: "hajin", name: "Hajin", area: false },
    { id: "desert", name: "Desert zone", area: true },
  ]);
  assert.deepEqual(stops.map((s) => s.id), ["desert", "isis-territory", "hajin", "raqqa"]);
});
