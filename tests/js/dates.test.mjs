import assert from "node:assert/strict";
import test from "node:test";

import { dayOf, dayRule, iso, within } from "../../geomap/app/static/js/dates.js";
import { fixture } from "./contract.mjs";

const P = fixture();

test("day numbers count days since 1970-01-01", () => {
  assert.equal(iso(0), "1970-01-01");
  assert.equal(dayOf("2014-01-01"), P.start);
  assert.equal(iso(P.end), "2019-05-31");
  for (let n = P.start - 400; n <= P.end + 400; n += 37) { assert.equal(dayOf(iso(n)), n); }
});

test("only a real date has a day number", () => {
  for (const bad of ["2016-02-30", "2016-13-01", "16-01-01", "2016-1-1", "yesterday", "", null, 17000]) {
    assert.equal(dayOf(bad), null, String(bad));
  }
  assert.equal(dayOf("2016-02-29"), dayOf("2016-03-01") - 1);
});

test("a record holds on the half-open interval [f, t), t null meaning open", () => {
  const closed = { f: 100, t: 110 };
  const open = { f: 100, t: null };
  assert.equal(within(closed, 99), false);
  assert.equal(within(closed, 100), true);
  assert.equal(within(closed, 109), true);
  assert.equal(within(closed, 110), false);
  assert.equal(within(open, 99), false);
  assert.equal(within(open, 100), true);
  assert.equal(within(open, 1e6), true);
});

test("consecutive records of a thing: exactly one holds on every day from the first", () => {
  const mosul = P.records.filter((r) => r.id === "mosul");
  for (let d = mosul[0].f; d < mosul[0].f + 5000; d++) {
    assert.equal(mosul.filter((r) => within(r, d)).length, 1, iso(d));
  }
  assert.equal(mosul.filter((r) => within(r, mosul[0].f - 1)).length, 0);
});

test("the date policy: refused before the start, the final state after the end", () => {
  for (let d = P.start - 30; d <= P.end + 30; d++) {
    const rule = dayRule(d, P.start, P.end);
    if (d < P.start) {
      assert.equal(rule.day, null);
      assert.equal(rule.note, iso(d) + " is before the data starts (2014-01-01)");
    } else if (d > P.end) {
      assert.equal(rule.day, P.end);
      assert.equal(rule.note,
        "nothing changes in the data after 2019-05-31; " + iso(d) + " shows the state of that date");
    } else {
      assert.deepEqual(rule, { day: d, note: null });
    }
  }
  assert.equal(dayRule(P.start + 0.4, P.start, P.end).day, P.start);
  assert.equal(dayRule(NaN, P.start, P.end).day, null);
  assert.equal(dayRule("17000", P.start, P.end).day, null);
});
