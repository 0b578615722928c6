import assert from "node:assert/strict";
import test from "node:test";

import {
  drawnOn, isMinor, keyClass, markerScale, pieceClass, piecesBounds, recordClass, recordMembers, ringsPath,
  worldRings,
} from "../../geomap/app/static/js/records.js";
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

test("a record's path from pieces names its key, so the test can tell snapshots apart", () => {
  const r = byKey["isis-territory@2014-01-01"];
  assert.ok(pieceClass(r).split(" ").includes("gm-rec-isis-territory-2014-01-01"), pieceClass(r));
});

test("each record is drawn from the pieces whose runs name it, and no others", () => {
  const members = recordMembers(P.pieces);
  P.pieces.forEach((piece, k) => {
    for (const layer in piece.r) {
      piece.r[layer].forEach(([first, count]) => {
        for (let i = first; i < first + count; i++) { assert.ok(members[i].includes(k)); }
      });
    }
  });
  Object.keys(members).forEach((i) => {
    assert.equal(P.records[i].g, null, `record ${i} has a geometry of its own`);
    assert.equal(new Set(members[i]).size, members[i].length);
  });
  const drawn = P.records.filter((r) => r.g === null).length;
  assert.equal(Object.keys(members).length, drawn);
  assert.deepEqual(recordMembers([]), {});
});

test("rings become world coordinates through the projection, holes and parts kept", () => {
  const project = (lon, lat) => [lon * 2, 10 - lat];
  const square = [[0, 0], [1, 0], [1, 1], [0, 0]];
  assert.deepEqual(worldRings({ type: "Polygon", coordinates: [square] }, project),
    [[0, 10, 2, 10, 2, 9, 0, 10]]);
  const multi = { type: "MultiPolygon", coordinates: [[square, square], [square]] };
  assert.equal(worldRings(multi, project).length, 3);
  assert.deepEqual(worldRings({ type: "Point", coordinates: [0, 0] }, project), []);
});

test("the box of a record's pieces spans all their vertices, or is null with none", () => {
  const a = { g: { type: "Polygon", coordinates: [[[40, 34], [41, 34], [41, 35], [40, 34]]] } };
  const b = { g: { type: "MultiPolygon", coordinates: [[[[38.5, 36], [39, 36], [39, 36.5], [38.5, 36]]]] } };
  const none = { g: { type: "Point", coordinates: [0, 0] } };
  assert.deepEqual(piecesBounds([a, b, none], [0, 1]), [[34, 38.5], [36.5, 41]]);
  assert.deepEqual(piecesBounds([a, b, none], [1]), [[36, 38.5], [36.5, 39]]);
  assert.equal(piecesBounds([a, b, none], [2]), null);
  assert.equal(piecesBounds([a], []), null);
});

test("path data is scaled, shifted, rounded, and keeps rings smaller than a pixel", () => {
  const ring = [0, 0, 10, 0, 10, 10, 0, 0];
  assert.equal(ringsPath([ring], 1, 0, 0), "M0 0L10 0L10 10L0 0Z");
  assert.equal(ringsPath([ring], 2, 5, -5), "M-5 5L15 5L15 25L-5 5Z");
  /* a 2 km piece at the region's zoom: under a pixel, still filled */
  assert.equal(ringsPath([ring], 0.04, 0, 0), "M0 0L0.4 0L0.4 0.4L0 0Z");
  /* a ring with no area left at this scale is left out */
  assert.equal(ringsPath([ring], 0.001, 0, 0), "");
  /* repeated points are dropped */
  assert.equal(ringsPath([[0, 0, 0.01, 0, 10, 0, 10, 10, 0, 0]], 1, 0, 0), "M0 0L10 0L10 10L0 0Z");
  assert.equal(ringsPath([ring, ring], 1, 0, 0), "M0 0L10 0L10 10L0 0ZM0 0L10 0L10 10L0 0Z");
  assert.equal(ringsPath([], 1, 0, 0), "");
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
