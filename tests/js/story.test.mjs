import assert from "node:assert/strict";
import test from "node:test";

import { cardHtml, findStory, keyStep, startButtonsHtml, stepNumber } from "../../geomap/app/static/js/story.js";
import { fixture } from "./contract.mjs";

const P = fixture();
const story = P.stories[0];

test("a story is found by its id only", () => {
  assert.equal(findStory(P.stories, "demo"), story);
  assert.equal(findStory(P.stories, "nope"), null);
  assert.equal(findStory(undefined, "demo"), null);
});

test("a step number is a whole number from 1 to the last step", () => {
  assert.equal(stepNumber(2, 2), 2);
  assert.equal(stepNumber("2", 2), 2);
  assert.equal(stepNumber(99, 2), 2);
  assert.equal(stepNumber(-3, 2), 1);
  assert.equal(stepNumber(1.6, 2), 2);
  for (const bad of [0, null, undefined, "x", NaN]) { assert.equal(stepNumber(bad, 2), 1, String(bad)); }
});

test("keys step through a story; other keys do nothing", () => {
  assert.equal(keyStep("ArrowRight", 3, 9), 4);
  assert.equal(keyStep("PageDown", 3, 9), 4);
  assert.equal(keyStep("ArrowLeft", 3, 9), 2);
  assert.equal(keyStep("PageUp", 1, 9), 0);
  assert.equal(keyStep("Home", 3, 9), 1);
  assert.equal(keyStep("End", 3, 9), 9);
  assert.equal(keyStep("a", 3, 9), null);
  assert.equal(keyStep("toString", 3, 9), null);
});

test("the card frames the step's body, with its count, date and title", () => {
  const first = cardHtml(story, 1);
  assert.ok(first.includes('<span class="gm-story-name" id="gm-story-name">A demo &amp; test</span>'));
  assert.ok(first.includes("Step 1 of 2 &middot; 2014-06-10"), first);
  assert.ok(first.includes('<h2 class="gm-story-title">First</h2>'));
  assert.ok(first.includes('<div class="gm-story-body">' + story.steps[0].body + "</div>"));
  assert.ok(first.includes('aria-label="Previous step" disabled'));
  assert.ok(!first.includes('aria-label="Next step" disabled'));
  const last = cardHtml(story, 2);
  assert.ok(last.includes("Second &lt;step&gt;") && last.includes("Step 2 of 2 &middot; 2017-07-10"));
  assert.ok(last.includes('aria-label="Next step" disabled'));
  assert.equal(last.split(story.steps[1].body).length, 2);  // the body, once
});

test("the start buttons carry the escaped titles and no identifier", () => {
  const html = startButtonsHtml([story, { ...story, id: "<x>", title: "Other" }]);
  assert.equal(html.split('class="gm-btn gm-story-start"').length, 3);
  assert.ok(html.includes('aria-label="Start the story: A demo &amp; test"'));
  assert.ok(!html.includes("demo\"") && !html.includes("<x>"));
});
