import assert from "node:assert/strict";
import test from "node:test";

import { holderText, periodText, popupHtml } from "../../geomap/app/static/js/popup.js";
import { fixture } from "./contract.mjs";

const P = fixture();
const byKey = Object.fromEntries(P.records.map((r) => [r.k, r]));

test("a popup lists name, holder, dates, approximation and where the notes are", () => {
  assert.equal(popupHtml(byKey["mosul@2014-06-10"], P),
    "<b>Mosul</b><br>held by IS (Islamic State)<br>2014-06-10 to 2017-07-10<br>" +
    '<span class="gm-more">Notes and sources beside the map</span>');
  const later = popupHtml(byKey["mosul@2017-07-10"], P);
  assert.ok(later.includes("<br>retaken from IS (Iraqi forces (ISF and PMF))<br>from 2017-07-10<br>"), later);
});

test("a record with a side and no status names the side; low confidence reads approximate", () => {
  const area = byKey["isis-territory@2014-01-01"];
  assert.equal(holderText(area, P), "Islamic State");
  assert.ok(popupHtml(area, P).includes("<br><i>approximate</i><br>"));
  assert.equal(holderText({ ...area, cl: null }, P), "");
  assert.equal(holderText({ ...area, cl: "nobody-known" }, P), "");
  assert.ok(!popupHtml({ ...area, cl: null }, P).includes("<br><br>"));
});

test("escaped text goes in as it is: never escaped twice, never unescaped", () => {
  const html = popupHtml(byKey["tal-afar@2014-06-16"], P);
  assert.ok(html.startsWith("<b>Tal Afar &amp; &quot;Sinjar&quot;</b>"), html);
  assert.ok(!html.includes("&amp;amp;") && !html.includes('"Sinjar"'), html);
  const hostile = { ...byKey["mosul@2014-06-10"], tip: "&lt;img src=x onerror=alert(1)&gt;" };
  assert.ok(!popupHtml(hostile, P).includes("<img"));
});

test("a popup names no identifier: no id, key or slug goes into its HTML", () => {
  const r = { ...byKey["mosul@2014-06-10"], id: "<id>", k: "<id>@2014-06-10", l: "<layer>" };
  assert.ok(!popupHtml(r, P).includes("<id>") && !popupHtml(r, P).includes("<layer>"));
  assert.equal(periodText(0, null), "from 1970-01-01");
  assert.equal(periodText(0, 1), "1970-01-01 to 1970-01-02");
});
