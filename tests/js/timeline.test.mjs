import assert from "node:assert/strict";
import test from "node:test";

import { areaOn, eventStep, eventText, km2, ticksHtml, yearsHtml } from "../../geomap/app/static/js/timeline.js";
import { fixture } from "./contract.mjs";

const P = fixture();

test("the IS-held area is that of the last change on or before the day", () => {
  const areas = [[10, 100], [20, 250], [30, 0]];
  assert.equal(areaOn(areas, 9), 0);
  assert.equal(areaOn(areas, 10), 100);
  assert.equal(areaOn(areas, 19), 100);
  assert.equal(areaOn(areas, 20), 250);
  assert.equal(areaOn(areas, 1000), 0);
  assert.equal(areaOn([], 5), 0);
  assert.equal(km2(12345.6), "12,346 km\u00b2");
});

test("the events of a day are listed in order, as escaped", () => {
  const day = P.events[1][0];
  assert.equal(eventText(P.events, day), P.events[1][2]);
  assert.ok(eventText(P.events, day).includes("&amp;"));
  assert.equal(eventText(P.events, day + 1), "");
  assert.equal(eventText([[5, "capture", "a", "x"], [5, "loss", "b", "y"]], 5), "a; b");
  const many = ["a", "b", "c", "d", "e"].map((label) => [7, "capture", label, "x"]);
  assert.equal(eventText(many, 7), "a; b; c; and 2 more");
});

test("the step buttons go to the nearest event, else to an end of the timeline", () => {
  const days = P.events.map((e) => e[0]);
  assert.equal(eventStep(P.events, P.start, 1, P.start, P.end), days[0]);
  assert.equal(eventStep(P.events, days[0], 1, P.start, P.end), days[1]);
  assert.equal(eventStep(P.events, days[1], -1, P.start, P.end), days[0]);
  assert.equal(eventStep(P.events, days.at(-1), 1, P.start, P.end), P.end);
  assert.equal(eventStep(P.events, days[0], -1, P.start, P.end), P.start);
  assert.equal(eventStep(P.events, days[1] - 1, 1, P.start, P.end), days[1]);
});

test("ticks and years sit along the slider", () => {
  const ticks = ticksHtml(P);
  assert.equal(ticks.split('class="gm-tick ').length, P.events.length + 1);
  assert.ok(ticks.includes('class="gm-tick gm-tick-capture" style="left:'));
  assert.ok(ticks.includes('title="' + P.events[1][2] + '"'));
  const years = yearsHtml(P);
  assert.deepEqual([...years.matchAll(/>(\d{4})</g)].map((m) => m[1]),
    ["2014", "2015", "2016", "2017", "2018", "2019"]);
  assert.ok(years.startsWith('<span style="left:0.000%">2014</span>'));
});

test("play stops on the last change of the IS-held area, not at the end of the timeline", async () => {
  const { playEnd } = await import("../../geomap/app/static/js/timeline.js");
  assert.equal(playEnd([[0, 0], [10, 500], [20, 300], [30, 0], [40, 0]], 100), 30);
  assert.equal(playEnd([[0, 5], [10, 5]], 100), 100);
  assert.equal(playEnd([], 100), 100);
  assert.equal(playEnd([[0, 0], [10, 5], [200, 0]], 100), 100);
});
