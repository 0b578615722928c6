/**
 * Day numbers, the validity interval and the one date policy.
 *
 * Dates travel as day numbers: whole days since 1970-01-01 (UTC).
 */

export const MS_DAY = 86400000;

/**
 * The ISO date (YYYY-MM-DD) of a day number.
 * @param {number} n day number
 * @returns {string}
 */
export function iso(n) {
  return new Date(n * MS_DAY).toISOString().slice(0, 10);
}

/**
 * The day number of an ISO date, or null for anything that is not a real date.
 * @param {unknown} text e.g. "2016-07-04"
 * @returns {number|null}
 */
export function dayOf(text) {
  if (typeof text !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(text)) { return null; }
  const t = Date.parse(text + "T00:00:00Z");
  if (Number.isNaN(t)) { return null; }
  const n = Math.round(t / MS_DAY);
  return iso(n) === text ? n : null;
}

/**
 * The one interval test: a record holds on day d when d is in [r.f, r.t); r.t null is open.
 * @param {{f: number, t: number|null}} r a record of the payload
 * @param {number} d day number
 * @returns {boolean}
 */
export function within(r, d) {
  return r.f <= d && (r.t === null || d < r.t);
}

/**
 * The one date policy, as geomap.core.timeline.shown_day has it: what the map shows
 * for day d, asked for from outside (a link, Python, the exported page).
 *
 * - before `start`: refused, `day` is null and `note` says why (the map keeps its day);
 * - after `end`: nothing changes after the end, so the map shows the final state, on
 *   `end`, and `note` says so;
 * - otherwise d itself and no note.
 *
 * @param {number} d day number asked for
 * @param {number} start first day of the timeline
 * @param {number} end last day of the timeline
 * @returns {{day: number|null, note: string|null}}
 */
export function dayRule(d, start, end) {
  if (typeof d !== "number" || !Number.isFinite(d)) {
    return { day: null, note: "not a date" };
  }
  const day = Math.round(d);
  if (day < start) {
    return { day: null, note: iso(day) + " is before the data starts (" + iso(start) + ")" };
  }
  if (day > end) {
    return {
      day: end,
      note: "nothing changes in the data after " + iso(end) + "; " + iso(day) +
        " shows the state of that date",
    };
  }
  return { day: day, note: null };
}
