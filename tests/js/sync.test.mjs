import assert from "node:assert/strict";
import test from "node:test";

import { componentValue, layersShown, readCommand, revealFrame } from "../../geomap/app/static/js/sync.js";
import { def, fixture, problems } from "./contract.mjs";

const P = fixture();

test("the map reports a ComponentValue with every key the schema lists", () => {
  const value = componentValue({
    day: P.start, place: "mosul", layers: ["territory"], story: P.stories[0], stepNo: 2, nonce: "ab-3",
  });
  assert.deepEqual(value, {
    date: "2014-01-01", place: "mosul", layers: ["territory"], story: "demo", step: 2, nonce: "ab-3",
  });
  assert.deepEqual(Object.keys(value).sort(), Object.keys(def("ComponentValue").properties).sort());
  assert.deepEqual(problems(value, def("ComponentValue")), []);
  const closed = componentValue({ day: P.end, place: null, layers: [], story: null, stepNo: null, nonce: "x" });
  assert.deepEqual([closed.story, closed.step], [null, null]);
  assert.deepEqual(problems(closed, def("ComponentValue")), []);
});

test("the layers shown are reported in the payload's order", () => {
  const on = { captured_cities: true, territory: true, hajin: false };
  assert.deepEqual(layersShown(P.layers, on), ["territory", "captured_cities"]);
});

test("a command is read once per nonce", () => {
  const cmd = { nonce: "py-1", date: "2016-07-04", place: "mosul", layers: ["territory"], fly: true };
  assert.deepEqual(problems(cmd, def("Command")), []);
  assert.deepEqual(readCommand(cmd, null), {
    leaveStory: false, layers: ["territory"], day: 16986, place: "mosul", fly: true, reveal: false,
  });
  assert.equal(readCommand(cmd, "py-1"), null);
  assert.equal(readCommand(null, null), null);
  assert.equal(readCommand("py-2", null), null);
});

test("a command from a panel below the map asks to bring the map into view", () => {
  const cmd = { nonce: "py-9", date: "2016-07-04", place: null, layers: [], fly: false, reveal: true };
  assert.deepEqual(problems(cmd, def("Command")), []);
  assert.equal(readCommand(cmd, null).reveal, true);
  let scrolled = null;
  revealFrame({ frameElement: { scrollIntoView: (o) => { scrolled = o; } } });
  assert.equal(scrolled.block, "start");
  revealFrame({ get frameElement() { throw new Error("cross-origin"); } });  // no throw
  revealFrame({ frameElement: null });
});

test("a story command opens the story; story null leaves it", () => {
  const open = { nonce: "py-2", date: "2016-07-04", place: null, layers: [], fly: false, story: "demo", step: 2 };
  assert.deepEqual(problems(open, def("Command")), []);
  assert.deepEqual(readCommand(open, null), { story: "demo", step: 2 });
  const leave = { ...open, story: null, step: null };
  assert.equal(readCommand(leave, null).leaveStory, true);
  assert.equal(readCommand({ ...open, story: undefined }, null).leaveStory, false);
});

test("a command's bad date keeps the map's day; no fly without a place", () => {
  const cmd = { nonce: "py-3", date: "2016-02-30", place: null, layers: [], fly: true };
  const ask = readCommand(cmd, null);
  assert.equal(ask.day, null);
  assert.equal(ask.fly, false);
  assert.equal(readCommand({ nonce: "py-4" }, null).place, undefined);  // keeps the selection
  assert.equal(readCommand({ nonce: "py-4" }, null).layers, null);
});
