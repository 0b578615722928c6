import assert from "node:assert/strict";
import test from "node:test";

import { crowdedOut, crowds } from "../../geomap/app/static/js/basemap.js";

const box = (left, top, width = 40, height = 12) => ({ left, top, right: left + width, bottom: top + height });

test("labels crowd each other when closer than the room kept between them", () => {
  assert.equal(crowds(box(0, 0), box(10, 5)), true);
  assert.equal(crowds(box(0, 0), box(42, 0)), true);  // 2 px apart: too close sideways
  assert.equal(crowds(box(0, 0), box(44, 0)), false);
  assert.equal(crowds(box(0, 0), box(0, 12.5)), true);
  assert.equal(crowds(box(0, 0), box(0, 14)), false);
});

test("a label is hidden when it would crowd one kept before it", () => {
  const boxes = [box(0, 0), box(10, 0), null, box(100, 0), box(20, 40), box(25, 45)];
  assert.deepEqual(crowdedOut(boxes), [false, true, false, false, false, true]);
  // The hidden label frees no room: the third crowds only the hidden second, so it stays.
  assert.deepEqual(crowdedOut([box(0, 0), box(30, 0), box(60, 0)]), [false, true, false]);
});
