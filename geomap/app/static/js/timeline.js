/**
 * The timeline under the map: the date slider with its event ticks and years, the
 * previous/next event buttons, play, the date, the IS-held area and the day's events.
 */

import { dayOf, iso } from "./dates.js";
import { addBox, el } from "./dom.js";

/** Days moved on each tick of play, and the tick's length (ms). */
const PLAY_STEP_DAYS = 7;
const PLAY_TICK_MS = 45;
/** How long after the last move of the slider the date is reported to Python (ms). */
export const SYNC_DELAY_MS = 300;

/**
 * The IS-held km² on day d, from the payload's `[day, km²]` steps (0 before the first).
 * @param {Array<[number, number]>} areas
 * @param {number} d day number
 * @returns {number}
 */
export function areaOn(areas, d) {
  let lo = 0, hi = areas.length - 1, best = -1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    if (areas[m][0] <= d) { best = m; lo = m + 1; } else { hi = m - 1; }
  }
  return best < 0 ? 0 : areas[best][1];
}

/**
 * The day play stops at: the last change of the IS-held area (the day it last moved,
 * 0 km² once IS holds no ground), or `end` when the area never changes.
 * @param {Array<[number, number]>} areas the payload's `[day, km²]` steps
 * @param {number} end the last day of the timeline
 * @returns {number}
 */
export function playEnd(areas, end) {
  for (let i = areas.length - 1; i > 0; i--) {
    if (areas[i][1] !== areas[i - 1][1]) { return Math.min(areas[i][0], end); }
  }
  return end;
}

/**
 * An area as words: "12,345 km²".
 * @param {number} v km²
 * @returns {string}
 */
export function km2(v) {
  return Math.round(v).toLocaleString("en-GB") + " km\u00b2";
}

/** Most event labels shown for one day; the rest are counted ("and 140 more"). */
export const MAX_EVENT_LABELS = 3;

/**
 * The escaped labels of the events on day d, joined: at most MAX_EVENT_LABELS of them,
 * then how many more there are (a day can bring a hundred villages).
 * @param {Array<[number, string, string, string]>} events the payload's events
 * @param {number} d day number
 * @returns {string} HTML
 */
export function eventText(events, d) {
  const labels = events.filter((e) => e[0] === d).map((e) => e[2]);
  const shown = labels.slice(0, MAX_EVENT_LABELS).join("; ");
  const rest = labels.length - MAX_EVENT_LABELS;
  return rest > 0 ? `${shown}; and ${rest} more` : shown;
}

/**
 * The day the previous (dir -1) or next (dir 1) event button goes to from day d: the
 * nearest event that way, else the start or the end of the timeline.
 * @param {Array<[number, string, string, string]>} events oldest first
 * @param {number} d day number
 * @param {number} dir -1 or 1
 * @param {number} start first day
 * @param {number} end last day
 * @returns {number}
 */
export function eventStep(events, d, dir, start, end) {
  const days = events.map((e) => e[0]);
  const found = dir > 0 ? days.find((e) => e > d) : days.reverse().find((e) => e < d);
  if (found !== undefined) { return found; }
  return dir > 0 ? end : start;
}

/**
 * Where day d lies along the slider, in per cent.
 * @param {number} d
 * @param {number} start
 * @param {number} end
 * @returns {string}
 */
function along(d, start, end) {
  return ((d - start) / (end - start) * 100).toFixed(3);
}

/**
 * The event ticks above the slider, coloured by the kind of event.
 * @param {object} P the payload
 * @returns {string} HTML
 */
export function ticksHtml(P) {
  return P.events.map((e) => '<span class="gm-tick gm-tick-' + e[1] + '" style="left:' +
    along(e[0], P.start, P.end) + '%" title="' + e[2] + '"></span>').join("");
}

/**
 * The years under the slider, each at its first of January.
 * @param {object} P the payload
 * @returns {string} HTML
 */
export function yearsHtml(P) {
  const out = [];
  const last = Number(iso(P.end).slice(0, 4));
  for (let y = Number(iso(P.start).slice(0, 4)); y <= last; y++) {
    const d = dayOf(y + "-01-01");
    if (d >= P.start) {
      out.push('<span style="left:' + along(d, P.start, P.end) + '%">' + y + "</span>");
    }
  }
  return out.join("");
}

/** GeoMap methods (see main.js) for the timeline. */
export const timelineMethods = {
  buildTimeline() {
    const P = this.P;
    addBox(this.map, "bottomleft", () => {
      const box = this.timelineBox = el("div", "gm-timeline leaflet-bar");
      const row = el("div", "gm-row", box);
      const button = (cls, html, label) => {
        const b = el("button", "gm-btn " + cls, row, html);
        b.title = label;
        b.setAttribute("aria-label", label);
        return b;
      };
      const prev = button("gm-prev", "&#9664;&#10073;", "Previous event");
      this.playBtn = button("gm-play", "&#9654;", "Play");
      const next = button("gm-next", "&#10073;&#9654;", "Next event");
      const track = el("div", "gm-track", row);
      el("div", "gm-ticks", track, ticksHtml(P));
      const slider = this.slider = el("input", "gm-slider", track);
      slider.type = "range";
      slider.min = String(P.start);
      slider.max = String(P.end);
      slider.step = "1";
      slider.setAttribute("aria-label", "Date");
      el("div", "gm-years", track, yearsHtml(P));
      const info = el("div", "gm-info", row);
      this.dateLabel = el("div", "gm-date", info);
      this.areaLabel = el("div", "gm-area", info);
      this.eventLabel = el("div", "gm-event", box);
      L.DomEvent.on(slider, "input", () => {
        this.stop(false);
        this.setDay(+slider.value, "slider");
        this.sync(SYNC_DELAY_MS);
      });
      L.DomEvent.on(this.playBtn, "click", () => { this.play(); });
      L.DomEvent.on(prev, "click", () => { this.step(-1); });
      L.DomEvent.on(next, "click", () => { this.step(1); });
      return box;
    });
  },

  /* Show the date, area and events of day d, and a note on the date if there is one. */
  showDay(d, note) {
    if (this.slider && String(d) !== this.slider.value) { this.slider.value = String(d); }
    this.dateLabel.textContent = iso(d);
    this.areaLabel.textContent = "IS-held: " + km2(areaOn(this.P.areas, d));
    const empty = Object.keys(this.layerOn).every((k) => !this.layerOn[k]);
    this.eventLabel.innerHTML = [eventText(this.P.events, d), note, empty ? this.S.notes.allOff : ""]
      .filter(Boolean).join("; ");
  },

  step(dir) {
    const P = this.P;
    this.stop(false);
    this.setDay(eventStep(P.events, this.day, dir, P.start, P.end), "step");
    this.sync(SYNC_DELAY_MS);
  },

  play() {
    const P = this.P;
    if (this.playing) { this.stop(true); return; }
    const last = playEnd(P.areas, P.end);
    if (this.day >= last) { this.setDay(P.start, "play"); }
    this.playBtn.innerHTML = "&#10074;&#10074;";
    this.playBtn.title = "Pause";
    this.playBtn.setAttribute("aria-label", "Pause");
    this.playing = setInterval(() => {
      const next = Math.min(this.day + PLAY_STEP_DAYS, last);
      this.setDay(next, "play");
      if (next >= last) { this.stop(true); }
    }, PLAY_TICK_MS);
  },

  stop(report) {
    if (!this.playing) { return; }
    clearInterval(this.playing);
    this.playing = null;
    this.playBtn.innerHTML = "&#9654;";
    this.playBtn.title = "Play";
    this.playBtn.setAttribute("aria-label", "Play");
    if (report) { this.sync(0); }
  },
};
