import assert from "node:assert/strict";
import test from "node:test";

import { drawnOn, heldBy, isMinor, keyClass, markerScale, pieceClass, recordClass } from "../../geomap/app/static/js/records.js";
import { fixture } from "./contract.mjs";

const P = fixture();
const byKey = Object.fromEntries(P.records.map((r) => [r.k, r]));

test("a record's class comes from its key, as geomap.web.payload.record_class has it", () => {
  assert.equal(keyClass("mosul@2014-06-10"), "gm-rec-mosul-2014-06-10");
  assert.equal(keyClass("a@b@c"), "gm-rec-a-b-c");
});

test("a record's classes name its key, layer, thing, kind, status, side and approximation", () => {
  assert.equal(recordClass(byKey["mosul@2014-06-10"]),
    "gm-rec gm-rec-mosul-2014-06-10 gm-layer-captured_cities gm-id-mosul gm-kind-city " +
    "gm-status-held gm-side-is");
  assert.equal(recordClass(byKey["tal-afar@2014-06-16"]).split(" ").at(-1), "gm-approx");
  const low = recordClass(byKey["isis-territory@2014-01-01"]);
  assert.ok(low.endsWith("gm-side-is gm-approx") && !low.includes("gm-status-"), low);
});

test("a land piece keeps Leaflet's interactive class, so it answers clicks", () => {
  const r = byKey["isis-territory@2014-01-01"];
  const classes = pieceClass(r).split(" ");
  assert.ok(classes.includes("leaflet-interactive"), pieceClass(r));
  assert.ok(classes.includes("gm-piece") && classes.includes("gm-id-isis-territory"));
});

test("a piece shows the one record of its runs that holds on the day", () => {
  const runs = P.pieces[0].r.territory;
  const [first, second] = [runs[0][0], runs[0][0] + 1];
  assert.equal(heldBy(runs, P.records, P.records[first].f), first);
  assert.equal(heldBy(runs, P.records, P.records[first].t - 1), first);
  assert.equal(heldBy(runs, P.records, P.records[first].t), second);
  assert.equal(heldBy(runs, P.records, P.end + 1000), second);
  assert.equal(heldBy(runs, P.records, P.records[first].f - 1), -1);
  assert.equal(heldBy([], P.records, P.start), -1);
});

test("a record of its own is drawn while its layer is on and it holds", () => {
  const mosul = byKey["mosul@2014-06-10"];
  const on = { captured_cities: true };
  assert.equal(drawnOn(mosul, on, mosul.f), true);
  assert.equal(drawnOn(mosul, on, mosul.t), false);
  assert.equal(drawnOn(mosul, {}, mosul.f), false);
  const piece = byKey["isis-territory@2015-01-01"];
  assert.equal(piece.g, null);
  assert.equal(drawnOn(piece, { territory: true }, piece.f), false);
});

test("markers shrink at the whole-region zooms, by the payload's steps", () => {
  const steps = P.style.markers.zoomScale;
  assert.ok(markerScale(steps, 6) < markerScale(steps, 9));
  assert.equal(markerScale(steps, 1), steps[0][1]);
  assert.equal(markerScale(steps, 30), steps.at(-1)[1]);
  assert.equal(markerScale([], 6), 1);
});

test("a village IS never held is minor; a held one or a city is not", () => {
  const m = P.style.markers;
  assert.equal(isMinor({ kd: "village", s: "never_held" }, m), true);
  assert.equal(isMinor({ kd: "site", s: "not_held" }, m), true);
  assert.equal(isMinor({ kd: "village", s: "held" }, m), false);
  assert.equal(isMinor({ kd: "city", s: "never_held" }, m), false);
  assert.equal(isMinor({ kd: "territory", s: null }, m), false);
});
