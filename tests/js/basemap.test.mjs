import assert from "node:assert/strict";
import test from "node:test";

import { crowdedOut, crowds } from "../../geomap/app/static/js/basemap.js";
import { fixture } from "./contract.mjs";

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

test("labels switch to their Arabic names, right to left, where the payload has one", async () => {
  const { labelHtml } = await import("../../geomap/app/static/js/basemap.js");
  const places = fixture().basemap.places;
  const withAr = places.find((p) => p[4]);
  const without = places.find((p) => !p[4]);
  assert.ok(withAr && without, "the fixture needs both kinds of label");
  assert.equal(labelHtml(withAr, "ar"), '<span lang="ar" dir="rtl">' + withAr[4] + "</span>");
  assert.equal(labelHtml(withAr, "en"), "<span>" + withAr[2] + "</span>");
  assert.equal(labelHtml(without, "ar"), "<span>" + without[2] + "</span>");
});

test("?lang=ar in the map's address or the page's picks Arabic; anything else English", async () => {
  const { pageLang } = await import("../../geomap/app/static/js/basemap.js");
  const win = (own, parent) => {
    const w = { location: { search: own } };
    w.parent = parent === undefined ? w : { location: { search: parent } };
    return w;
  };
  assert.equal(pageLang(win("?lang=ar")), "ar");
  assert.equal(pageLang(win("", "?date=2016-01-01&lang=ar")), "ar");
  assert.equal(pageLang(win("?lang=fr")), "en");
  assert.equal(pageLang(win("")), "en");
  const blocked = { location: { search: "" }, get parent() { throw new Error("cross-origin"); } };
  assert.equal(pageLang(blocked), "en");
});
