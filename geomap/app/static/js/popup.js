/**
 * A record's popup: the one place its HTML is written (Python sends none).
 *
 * Composed from escaped payload text (the record's name, its status and side
 * labels, the notes' wording) and the script's own words and ISO dates.
 */

import { iso } from "./dates.js";

/**
 * A record's dates: "2014-06-10 to 2017-07-10", or "from 2014-06-10" while it holds.
 * @param {number} f first day (day number)
 * @param {number|null} t first day after it, or null
 * @returns {string}
 */
export function periodText(f, t) {
  return t === null ? "from " + iso(f) : iso(f) + " to " + iso(t);
}

/**
 * Who held a record: its status and side ("Held by IS (Islamic State)"), either alone,
 * or "" for neither.
 * @param {object} r a record of the payload
 * @param {object} P the payload
 * @returns {string} HTML
 */
export function holderText(r, P) {
  const side = r.cl && P.sides[r.cl] ? P.sides[r.cl].label : "";
  const status = r.s && P.status[r.s] ? P.status[r.s].label : "";
  if (status && side) { return status + " (" + side + ")"; }
  return status || side;
}

/**
 * The popup of a record: name, who held it, its dates, whether it is approximate,
 * and where its notes are.
 * @param {object} r a record of the payload
 * @param {object} P the payload
 * @returns {string} HTML
 */
export function popupHtml(r, P) {
  const notes = P.style.notes;
  const lines = ["<b>" + r.tip + "</b>"];
  const holder = holderText(r, P);
  if (holder) { lines.push(holder); }
  lines.push(periodText(r.f, r.t));
  if (r.a || r.lc) { lines.push("<i>" + notes.approximateWord + "</i>"); }
  lines.push('<span class="gm-more">' + notes.more + "</span>");
  return lines.join("<br>");
}
