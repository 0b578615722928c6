/**
 * Story mode: a card that walks through a story's steps (geomap/core/story.py), and
 * the scrolling story page of the HTML export, which drives the same steps.
 *
 * A step's date, layers and selected place are applied as a command would apply
 * them, and the map flies to the step's frame, kept clear of the card and the
 * timeline. Steps are numbered from 1, as in links (?story=…&step=N). The step's
 * body (text, fact check, sources) is HTML written by Python; this module writes
 * only the card around it.
 */

import { iso } from "./dates.js";
import { addBox, el } from "./dom.js";

/** Keys that move through a story, and by how many steps. */
const STEP_KEYS = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };

/**
 * The story with id `id`, or null.
 * @param {Array<object>} stories the payload's stories
 * @param {unknown} id
 * @returns {object|null}
 */
export function findStory(stories, id) {
  return (stories || []).find((s) => s.id === id) || null;
}

/**
 * A step number made valid: a whole number from 1 to `total` (1 for anything else).
 * @param {unknown} n asked for
 * @param {number} total steps in the story
 * @returns {number}
 */
export function stepNumber(n, total) {
  return Math.max(1, Math.min(total, Math.round(Number(n)) || 1));
}

/**
 * The step a key goes to from step n: a neighbour, the first (Home) or the last (End);
 * null for a key that does not move (outside 1 to total the card stays).
 * @param {string} key KeyboardEvent.key
 * @param {number} n current step
 * @param {number} total steps in the story
 * @returns {number|null}
 */
export function keyStep(key, n, total) {
  if (Object.hasOwn(STEP_KEYS, key)) { return n + STEP_KEYS[key]; }
  if (key === "Home") { return 1; }
  if (key === "End") { return total; }
  return null;
}

/**
 * The buttons that start each story, shown while no story is open.
 * @param {Array<object>} stories the payload's stories
 * @returns {string} HTML (the escaped titles only: the buttons are told apart by order)
 */
export function startButtonsHtml(stories) {
  return stories.map((s) => '<button class="gm-btn gm-story-start" aria-label="Start the story: ' +
    s.title + '">&#9654; Story<span class="gm-story-start-title">: ' + s.title +
    "</span></button>").join("");
}

/**
 * The card of step n: the story's name, a close button, the step's count, date and
 * title, its body (Python's HTML), the way back to the step, and Previous and Next.
 * @param {object} story a story of the payload
 * @param {number} n step number, from 1
 * @returns {string} HTML
 */
export function cardHtml(story, n) {
  const total = story.steps.length;
  const step = story.steps[n - 1];
  return '<div class="gm-story-head"><span class="gm-story-name" id="gm-story-name">' +
    story.title + "</span>" +
    '<button class="gm-btn gm-story-close" aria-label="Leave the story" title="Leave the story">' +
    "&#10005;</button></div>" +
    '<div class="gm-story-live" aria-live="polite">' +
    '<div class="gm-story-count">Step ' + n + " of " + total + " &middot; " + iso(step.day) +
    "</div>" +
    '<h2 class="gm-story-title">' + step.title + "</h2>" +
    '<div class="gm-story-body">' + step.body + "</div></div>" +
    '<button class="gm-btn gm-story-back">Back to this step\u2019s date and view</button>' +
    '<div class="gm-row gm-story-nav">' +
    '<button class="gm-btn gm-story-prev" aria-label="Previous step"' + (n <= 1 ? " disabled" : "") +
    ">&#9664; Previous</button>" +
    '<button class="gm-btn gm-story-next" aria-label="Next step"' + (n >= total ? " disabled" : "") +
    ">Next &#9654;</button></div>";
}

/** GeoMap methods (see main.js) for story mode. */
export const storyMethods = {
  storyGo(id, n, origin) {
    const story = findStory(this.P.stories, id);
    if (!story) { return; }
    n = stepNumber(n, story.steps.length);
    const step = story.steps[n - 1];
    /* The card and the legend would cover most of the map: the legend folds to its button. */
    if (!this.story && this.collapseLegend) { this.collapseLegend(true); }
    this.story = story;
    this.stepNo = n;
    this.showLayers(step.layers);
    this.stop(false);
    this.setDay(step.day, "story");
    this.select(step.place, false);
    this.map.closePopup();
    this.container.setAttribute("data-gm-story", story.id);
    this.container.setAttribute("data-gm-step", String(n));
    if (this.storyBox) { this.renderStory(); }
    this.frameStep(step, origin === "init");
    /* A step chosen is a new history entry; the way back to the step's view is not. */
    if (origin !== "python" && origin !== "init") { this.sync(0, origin !== "back"); }
  },

  /* While a story is open and the reader moves the date away from the step's, the card
   * offers the way back. */
  storyAway() {
    if (!this.storyBox || !this.story) { return; }
    const step = this.story.steps[this.stepNo - 1];
    this.storyBox.classList.toggle("gm-story-away", this.day !== step.day);
  },

  /* Fly to the step's frame, keeping it clear of the card (left of or above it on a
   * phone) and of the timeline at the bottom. */
  frameStep(step, quick) {
    this.whenCssReady((late) => { this.frameStepNow(step, quick || late); });
  },

  frameStepNow(step, quick) {
    const w = this.container.clientWidth, h = this.container.clientHeight;
    this.map.invalidateSize(false);
    /* The frame may still be getting its size (a link opened on a step): relayout
     * frames the step again when the size changes within a moment. */
    this.framed = { step: step, at: Date.now(), size: w + "x" + h };
    if (w < 120 || h < 120) { return; }
    const m = this.S.story.margin, c = this.container.getBoundingClientRect();
    const tl = [m, m], br = [m, m];
    if (this.storyBox && this.story) {
      const b = this.storyBox.getBoundingClientRect();
      if (w < this.S.narrow) { tl[1] = Math.min(b.bottom - c.top, h / 2) + m; }
      else { tl[0] = Math.min(b.right - c.left, w / 2) + m; }
    }
    if (this.timelineBox) {
      br[1] = Math.min(c.bottom - this.timelineBox.getBoundingClientRect().top, h / 3) + m;
    }
    const opts = { paddingTopLeft: tl, paddingBottomRight: br, maxZoom: 11 };
    if (quick) { this.map.fitBounds(step.bounds, opts); }
    else { this.map.flyToBounds(step.bounds, Object.assign(opts, { duration: this.S.story.fly })); }
  },

  /* After a change of size, frame the step again if it was framed a moment ago. */
  reframe() {
    const f = this.framed;
    if (!f || !this.story) { return; }
    const size = this.container.clientWidth + "x" + this.container.clientHeight;
    if (size !== f.size && Date.now() - f.at < 4000) { this.frameStep(f.step, true); }
  },

  /* Leave the story; `byReader` (the card's close button, Escape) keeps the keyboard
   * on the card and tells Python, which does not need telling when it asked. */
  storyClose(byReader) {
    if (!this.story) { return; }
    this.story = null;
    this.stepNo = null;
    this.container.setAttribute("data-gm-story", "");
    this.container.setAttribute("data-gm-step", "");
    if (byReader) { this.storyFocus = "gm-story-start"; }
    if (this.storyBox) { this.renderStory(); }
    if (byReader) { this.sync(0, true); }
  },

  renderStory() {
    const box = this.storyBox, story = this.story;
    box.classList.toggle("gm-story-on", !!story);
    this.container.classList.toggle("gm-story-mode", !!story);
    if (!story) { this.renderStarts(); return; }
    box.removeAttribute("aria-label");
    box.setAttribute("aria-labelledby", "gm-story-name");
    box.innerHTML = cardHtml(story, this.stepNo);
    const go = (d) => () => {
      this.storyFocus = d < 0 ? "gm-story-prev" : "gm-story-next";
      this.storyGo(story.id, this.stepNo + d, "card");
    };
    L.DomEvent.on(box.querySelector(".gm-story-prev"), "click", go(-1));
    L.DomEvent.on(box.querySelector(".gm-story-next"), "click", go(1));
    L.DomEvent.on(box.querySelector(".gm-story-close"), "click", () => { this.storyClose(true); });
    L.DomEvent.on(box.querySelector(".gm-story-back"), "click", () => {
      this.storyFocus = "gm-story-next";
      this.storyGo(story.id, this.stepNo, "back");
    });
    this.storyAway();
    /* Keep the keyboard where it was: the button pressed, or the other one at an end. */
    const focus = this.storyFocus;
    this.storyFocus = null;
    if (focus) {
      let target = box.querySelector("." + focus);
      if (target && target.disabled) {
        target = box.querySelector(focus === "gm-story-next" ? ".gm-story-prev" : ".gm-story-next");
      }
      if (target) { target.focus(); }
    }
  },

  /* The card while no story is open: a button per story. */
  renderStarts() {
    const box = this.storyBox, stories = this.P.stories || [];
    box.removeAttribute("aria-labelledby");
    box.setAttribute("aria-label", "Guided stories");
    box.innerHTML = startButtonsHtml(stories);
    box.querySelectorAll(".gm-story-start").forEach((b, i) => {
      L.DomEvent.on(b, "click", () => {
        this.storyFocus = "gm-story-next";
        this.storyGo(stories[i].id, 1, "card");
      });
    });
    if (this.storyFocus) {
      this.storyFocus = null;
      const first = box.querySelector(".gm-story-start");
      if (first) { first.focus(); }
    }
  },

  /* Arrow keys, Page Up/Down, Home and End step through the story; Escape leaves it. */
  storyKey(e) {
    if (!this.story) { return; }
    if (e.key === "Escape") { L.DomEvent.stop(e); this.storyClose(true); return; }
    const n = this.stepNo, total = this.story.steps.length;
    const target = keyStep(e.key, n, total);
    if (target === null) { return; }
    L.DomEvent.stop(e);
    const active = document.activeElement;
    this.storyFocus = active && active.classList && active.classList.contains("gm-story-prev")
      ? "gm-story-prev" : "gm-story-next";
    if (target >= 1 && target <= total && target !== n) { this.storyGo(this.story.id, target, "card"); }
  },

  buildStory() {
    if (!(this.P.stories || []).length || this.P.storyScroll) { return; }
    addBox(this.map, "topleft", () => {
      const box = this.storyBox = el("section", "gm-story leaflet-bar");
      box.setAttribute("role", "region");
      L.DomEvent.on(box, "keydown", (e) => { this.storyKey(e); });
      this.renderStory();
      return box;
    });
  },

  /* The scrolling story page (geomap export --story ID --format html): each section
   * marked data-gm-step takes the map to its step as it reaches the middle of the screen. */
  storyScroll(id) {
    const sections = document.querySelectorAll("[data-gm-step]");
    if (!sections.length) { return; }
    this.storyGo(id, +sections[0].getAttribute("data-gm-step"), "init");
    if (!window.IntersectionObserver) { return; }
    const seen = new IntersectionObserver((entries) => {
      entries.forEach((en) => {
        if (!en.isIntersecting) { return; }
        const n = +en.target.getAttribute("data-gm-step");
        sections.forEach((s) => { s.classList.toggle("gm-step-on", s === en.target); });
        if (n !== this.stepNo) { this.storyGo(id, n, "scroll"); }
      });
    }, { rootMargin: "-45% 0px -45% 0px" });
    sections.forEach((s) => { seen.observe(s); });
  },
};
