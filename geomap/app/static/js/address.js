/**
 * The app's address bar: which history entry a report from the map makes.
 *
 * In the app the page's query (?date=…&place=…&layers=…&story=…&step=…) describes the
 * view. Streamlit writes it for Python with history.pushState, one entry per change;
 * so before the map reports a change to Python it writes the page's address itself
 * (the map's frame is served from the page's own origin): replaceState for a scrub of
 * the date or a change of layers, pushState for a choice (a place, a story step,
 * leaving a story). Python then writes the very same query, which Streamlit finds
 * already in the address and adds no entry. Back and Forward make Streamlit rerun the
 * script with the entry's query, and Python restores that view (geomap/app/main.py).
 *
 * The query is edited as Python edits it (geomap/app/state.py url_params): geomap's
 * keys are set where they are, new ones appended in URL_KEYS order, other keys kept.
 */

/** geomap's keys in the page's query, in the order new ones are appended. */
export const URL_KEYS = ["date", "place", "layers", "story", "step"];

/**
 * The query values that describe a view (Python's view_to_params): layers only when
 * they are not the default set, a step only with a story.
 * @param {{date: string, place: string|null, layers: string[], story: string|null,
 *   step: number|null}} view a ComponentValue
 * @param {string[]} defaultLayers the layers shown unless the link says otherwise
 * @returns {Object<string, string>}
 */
export function viewParams(view, defaultLayers) {
  const out = { date: view.date };
  if (view.place) { out.place = view.place; }
  if (view.layers.join(",") !== defaultLayers.join(",")) { out.layers = view.layers.join(","); }
  if (view.story) {
    out.story = view.story;
    out.step = String(view.step || 1);
  }
  return out;
}

/**
 * The page's query made to describe `view`, the other keys kept where they are.
 * @param {string} search the page's location.search
 * @param {object} view a ComponentValue
 * @param {string[]} defaultLayers
 * @returns {string} the query, without "?", encoded as Python's urlencode encodes it
 */
export function viewSearch(search, view, defaultLayers) {
  const query = new URLSearchParams(search);
  const want = viewParams(view, defaultLayers);
  URL_KEYS.forEach((k) => {
    if (Object.hasOwn(want, k)) { query.set(k, want[k]); } else { query.delete(k); }
  });
  return query.toString();
}

/**
 * How to write the new query: a choice pushes an entry unless it changes nothing.
 * @param {boolean} push whether the report is a choice
 * @param {string} before the query now, without "?"
 * @param {string} after the query to write
 * @returns {"push"|"replace"|null} null when the address is already right
 */
export function historyMode(push, before, after) {
  if (before === after) { return null; }
  return push ? "push" : "replace";
}

/**
 * Write `view` into the address of the page that holds the map's frame. Nothing
 * happens outside the app (an export has no such page, or one of another origin).
 * @param {Window} w the map frame's window
 * @param {object} view a ComponentValue
 * @param {string[]} defaultLayers
 * @param {boolean} push whether this is a choice (a new entry) or a scrub (the same one)
 * @returns {"push"|"replace"|null} what was done
 */
export function writeAddress(w, view, defaultLayers, push) {
  try {
    const page = w.parent;
    if (!page || page === w) { return null; }
    const before = page.location.search.replace(/^\?/, "");
    const after = viewSearch(before, view, defaultLayers);
    const mode = historyMode(push, before, after);
    if (mode) {
      const url = page.location.pathname + (after ? "?" + after : "") + page.location.hash;
      if (mode === "push") { page.history.pushState({}, "", url); }
      else { page.history.replaceState(page.history.state, "", url); }
    }
    return mode;
  } catch (e) {
    return null; /* another origin: Streamlit writes the address alone */
  }
}
