import assert from "node:assert/strict";
import test from "node:test";

import {
  URL_KEYS, historyMode, viewParams, viewSearch, writeAddress,
} from "../../geomap/app/static/js/address.js";

const DEFAULT = ["territory", "captured_cities"];
const view = (over) => Object.assign(
  { date: "2016-03-01", place: null, layers: DEFAULT, story: null, step: null }, over,
);

test("a view's query values follow Python's view_to_params", () => {
  assert.deepEqual(viewParams(view({}), DEFAULT), { date: "2016-03-01" });
  assert.deepEqual(viewParams(view({ place: "mosul", layers: ["hajin"] }), DEFAULT),
    { date: "2016-03-01", place: "mosul", layers: "hajin" });
  assert.deepEqual(viewParams(view({ story: "demo", step: 3 }), DEFAULT),
    { date: "2016-03-01", story: "demo", step: "3" });
  assert.deepEqual(viewParams(view({ layers: [] }), DEFAULT), { date: "2016-03-01", layers: "" });
  assert.deepEqual(URL_KEYS, ["date", "place", "layers", "story", "step"]);
});

test("the query keeps other keys where they are and appends new ones in order", () => {
  assert.equal(viewSearch("", view({ place: "mosul" }), DEFAULT), "date=2016-03-01&place=mosul");
  assert.equal(
    viewSearch("?lang=ar&place=raqqa&date=2015-01-15", view({ story: "demo", step: 2 }), DEFAULT),
    "lang=ar&date=2016-03-01&story=demo&step=2",
  );
  // The same case as Python's test of url_params (tests/test_app_logic.py).
  assert.equal(
    viewSearch("lang=ar&place=raqqa&date=2015-01-15&step=9", view({ story: "demo", step: 2 }), DEFAULT),
    "lang=ar&date=2016-03-01&step=2&story=demo",
  );
  // Encoded as Python's urlencode: the comma of a layer list is %2C.
  assert.equal(viewSearch("date=x", view({ layers: ["territory", "hajin"] }), DEFAULT),
    "date=2016-03-01&layers=territory%2Chajin");
  // A repeated key is written once, where it first was; a bad one is dropped.
  assert.equal(viewSearch("date=a&x=1&date=b&step=9", view({}), DEFAULT), "date=2016-03-01&x=1");
});

test("a choice pushes an entry, a scrub replaces it, and no change writes nothing", () => {
  assert.equal(historyMode(true, "date=a", "date=a&place=b"), "push");
  assert.equal(historyMode(false, "date=a", "date=b"), "replace");
  assert.equal(historyMode(true, "date=a", "date=a"), null);
});

/** A page holding the map's frame, recording what is written to its history. */
function page(search) {
  const calls = [];
  const location = { pathname: "/", search: search, hash: "" };
  const history = {
    state: { s: 1 },
    pushState(state, title, url) { calls.push(["push", url]); location.search = url.slice(1); },
    replaceState(state, title, url) { calls.push(["replace", url, state]); location.search = url.slice(1); },
  };
  return { calls, w: { parent: { location, history } } };
}

test("the page's address is written with push or replace, and only when it changes", () => {
  const p = page("?date=2015-01-15");
  assert.equal(writeAddress(p.w, view({}), DEFAULT, false), "replace");
  assert.equal(writeAddress(p.w, view({ place: "mosul" }), DEFAULT, true), "push");
  assert.equal(writeAddress(p.w, view({ place: "mosul" }), DEFAULT, true), null);
  assert.deepEqual(p.calls, [
    ["replace", "/?date=2016-03-01", { s: 1 }], ["push", "/?date=2016-03-01&place=mosul"],
  ]);
});

test("outside the app the address is left alone", () => {
  const top = {};
  top.parent = top;
  assert.equal(writeAddress(top, view({}), DEFAULT, true), null);
  const foreign = { parent: { get location() { throw new Error("cross-origin"); } } };
  assert.equal(writeAddress(foreign, view({}), DEFAULT, true), null);
});
