import assert from "node:assert/strict";
import test from "node:test";

import { PAYLOAD_VERSION, checkPayload } from "../../geomap/app/static/js/contract.js";
import { SCHEMA, def, fixture, problems } from "./contract.mjs";

test("the script reads the version the schema declares", () => {
  assert.equal(SCHEMA.properties.version.const, PAYLOAD_VERSION);
});

test("the fixture is a payload as the schema describes it", () => {
  assert.deepEqual(problems(fixture(), SCHEMA), []);
});

test("the checker finds a missing key, an unknown key and a wrong type", () => {
  const P = fixture();
  delete P.records[0].tip;
  P.records[1].pop = "<b>x</b>";
  P.records[2].f = "2014-06-10";
  const found = problems(P, SCHEMA);
  assert.ok(found.includes("$.records[0]: no tip"), found.join("\n"));
  assert.ok(found.includes("$.records[1]: unknown key pop"), found.join("\n"));
  assert.ok(found.includes("$.records[2].f: not integer"), found.join("\n"));
  assert.deepEqual(problems({ nonce: "x" }, def("Command")), [
    "$: no date", "$: no place", "$: no layers", "$: no fly",
  ]);
});

test("a payload of another version is refused", () => {
  const P = fixture();
  assert.equal(checkPayload(P), P);
  P.version = PAYLOAD_VERSION + 1;
  assert.throws(() => checkPayload(P), /version 2 but this script reads version 1/);
  assert.throws(() => checkPayload(null), /version undefined/);
});
