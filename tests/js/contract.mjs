/**
 * Test helpers: the payload fixture, the payload schema Python writes, and a small
 * checker for the part of JSON Schema that schema uses (it throws on any other
 * keyword, so that it can never pass by ignoring one).
 */

import { readFileSync } from "node:fs";

const here = new URL(".", import.meta.url);

/** The committed JSON Schema of the payload (geomap/schema/payload.schema.json). */
export const SCHEMA = JSON.parse(readFileSync(new URL("../../geomap/schema/payload.schema.json", here)));

/** A fresh copy of the small payload the tests draw from (tests/js/fixtures/payload.json). */
export function fixture() {
  return JSON.parse(readFileSync(new URL("fixtures/payload.json", here)));
}

const IGNORED = new Set(["description", "title", "$schema", "$id", "$defs"]);
const TYPES = {
  object: (v) => v !== null && typeof v === "object" && !Array.isArray(v),
  array: Array.isArray,
  string: (v) => typeof v === "string",
  integer: Number.isInteger,
  number: (v) => typeof v === "number" && Number.isFinite(v),
  boolean: (v) => typeof v === "boolean",
  null: (v) => v === null,
};

/**
 * Every way `value` breaks `schema` (an empty list when it fits).
 * @param {unknown} value
 * @param {object} schema a part of SCHEMA
 * @param {string} [at] where in the value (for the messages)
 * @returns {string[]}
 */
export function problems(value, schema, at = "$") {
  const out = [];
  for (const [key, rule] of Object.entries(schema)) {
    if (IGNORED.has(key)) { continue; }
    switch (key) {
      case "$ref": {
        const name = rule.replace("#/$defs/", "");
        if (!SCHEMA.$defs[name]) { throw new Error("unknown $ref " + rule); }
        out.push(...problems(value, SCHEMA.$defs[name], at));
        break;
      }
      case "type":
        if (!TYPES[rule]) { throw new Error("unknown type " + rule); }
        if (!TYPES[rule](value)) { out.push(at + ": not " + rule); }
        break;
      case "const":
        if (value !== rule) { out.push(at + ": not " + JSON.stringify(rule)); }
        break;
      case "enum":
        if (!rule.includes(value)) { out.push(at + ": not one of " + rule.join(", ")); }
        break;
      case "anyOf":
        if (!rule.some((s) => problems(value, s, at).length === 0)) { out.push(at + ": fits no choice"); }
        break;
      case "required":
        if (TYPES.object(value)) {
          rule.filter((k) => !Object.hasOwn(value, k)).forEach((k) => out.push(at + ": no " + k));
        }
        break;
      case "properties":
        if (TYPES.object(value)) {
          for (const [k, s] of Object.entries(rule)) {
            if (Object.hasOwn(value, k)) { out.push(...problems(value[k], s, at + "." + k)); }
          }
        }
        break;
      case "additionalProperties":
        if (TYPES.object(value)) {
          for (const [k, v] of Object.entries(value)) {
            if (schema.properties && Object.hasOwn(schema.properties, k)) { continue; }
            if (rule === false) { out.push(at + ": unknown key " + k); }
            else if (rule !== true) { out.push(...problems(v, rule, at + "." + k)); }
          }
        }
        break;
      case "items":
        if (Array.isArray(value)) {
          const from = schema.prefixItems ? schema.prefixItems.length : 0;
          value.slice(from).forEach((v, i) => out.push(...problems(v, rule, at + "[" + (i + from) + "]")));
        }
        break;
      case "prefixItems":
        if (Array.isArray(value)) {
          rule.forEach((s, i) => { if (i < value.length) { out.push(...problems(value[i], s, at + "[" + i + "]")); } });
        }
        break;
      case "minItems":
        if (Array.isArray(value) && value.length < rule) { out.push(at + ": fewer than " + rule); }
        break;
      case "maxItems":
        if (Array.isArray(value) && value.length > rule) { out.push(at + ": more than " + rule); }
        break;
      default:
        throw new Error("the checker does not know the keyword " + key);
    }
  }
  return out;
}

/**
 * The schema of a definition: Command, ComponentValue, RecordPayload, …
 * @param {string} name
 * @returns {object}
 */
export function def(name) {
  if (!SCHEMA.$defs[name]) { throw new Error("no definition " + name); }
  return SCHEMA.$defs[name];
}
