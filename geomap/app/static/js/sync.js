/**
 * The messages between Python and the live map (their shapes: Command and
 * ComponentValue in geomap/web/payload_schema.py).
 *
 * Python sends a command through `geomapCommand`, run once per nonce; the map
 * reports its date, selected place, layers and story step back through
 * streamlit-folium's component value (window.Streamlit.setComponentValue), after
 * writing them into the page's address (address.js: a choice pushes a history
 * entry, a scrub replaces it).
 */

import { writeAddress } from "./address.js";
import { dayOf, iso } from "./dates.js";

/**
 * The names of the layers shown, in the payload's order.
 * @param {Array<{id: string}>} layers the payload's layers
 * @param {Object<string, boolean>} layerOn
 * @returns {string[]}
 */
export function layersShown(layers, layerOn) {
  return layers.filter((l) => layerOn[l.id]).map((l) => l.id);
}

/**
 * What the map reports to Python (a ComponentValue).
 * @param {{day: number, place: string|null, layers: string[], story: object|null,
 *   stepNo: number|null, nonce: string}} state
 * @returns {{date: string, place: string|null, layers: string[], story: string|null,
 *   step: number|null, nonce: string}}
 */
export function componentValue(state) {
  return {
    date: iso(state.day),
    place: state.place,
    layers: state.layers,
    story: state.story ? state.story.id : null,
    step: state.story ? state.stepNo : null,
    nonce: state.nonce,
  };
}

/**
 * What a command from Python asks for, or null for none (no command, or the nonce of the
 * last one). A story command opens a story at a step; any other sets the view: leave the
 * story (story null), the layers (null: keep them), the day (null: keep it; it then goes
 * through the date policy), the selection (undefined: keep it) and whether to fly there.
 * @param {unknown} cmd a Command
 * @param {string|null} lastNonce the nonce of the last command run
 * @returns {object|null}
 */
export function readCommand(cmd, lastNonce) {
  if (!cmd || typeof cmd !== "object" || cmd.nonce === lastNonce) { return null; }
  if (cmd.story) { return { story: cmd.story, step: cmd.step }; }
  return {
    leaveStory: cmd.story === null,
    layers: Array.isArray(cmd.layers) ? cmd.layers : null,
    day: dayOf(cmd.date),
    place: cmd.place,
    fly: !!(cmd.fly && cmd.place),
    reveal: !!cmd.reveal,
  };
}

/**
 * Scroll the page that holds the map's frame so that the map is in view. The frame is
 * served from the same host as the page; where it is not (an export opened elsewhere),
 * nothing happens.
 * @param {Window} w the map frame's window
 */
export function revealFrame(w) {
  try {
    const frame = w.frameElement;
    if (frame && frame.scrollIntoView) { frame.scrollIntoView({ block: "start", behavior: "smooth" }); }
  } catch (e) {
    /* another origin: the page cannot be scrolled from here */
  }
}

/** GeoMap methods (see main.js) for talking to Python. */
export const syncMethods = {
  /* Report the view to Python after `delay` ms (a newer report replaces a waiting one,
   * but not its `push`: a choice followed at once by a scrub still makes an entry). */
  sync(delay, push) {
    if (this.syncTimer) { clearTimeout(this.syncTimer); }
    this.syncPush = !!(this.syncPush || push);
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      const S = window.Streamlit;
      if (!S || !S.setComponentValue) { return; }
      this.sent += 1;
      const value = this.view();
      writeAddress(window, value, this.defaultLayers(), this.syncPush);
      this.syncPush = false;
      S.setComponentValue(value);
    }, delay);
  },

  /* What the map shows, as a ComponentValue with a new nonce. */
  view() {
    return componentValue({
      day: this.day,
      place: this.place,
      layers: layersShown(this.P.layers, this.layerOn),
      story: this.story,
      stepNo: this.stepNo,
      nonce: this.session + "-" + this.sent,
    });
  },

  /* The layers a view shows unless its link says otherwise. */
  defaultLayers() {
    return this.P.layers.filter((l) => l.on).map((l) => l.id);
  },

  /* In the app, once the link's view is drawn (Python's first command): write it into
   * the page's address in place, so that a link with a bad value is corrected without
   * a new entry. Later commands write nothing: Python writes their address, and a
   * choice made beside the map must make an entry. */
  settleAddress() {
    if (this.addressSettled) { return; }
    this.addressSettled = true;
    const S = window.Streamlit;
    if (S && S.setComponentValue) { writeAddress(window, this.view(), this.defaultLayers(), false); }
  },

  command(cmd) {
    const ask = readCommand(cmd, this.lastNonce);
    if (!ask) { return; }
    this.lastNonce = cmd.nonce;
    if (ask.story) {
      this.storyGo(ask.story, ask.step, "python");
      this.settleAddress();
      return;
    }
    if (ask.leaveStory) { this.storyClose(false); }
    if (ask.layers) { this.showLayers(ask.layers); }
    this.stop(false);
    this.setDay(ask.day === null ? this.day : ask.day, "python");
    if (ask.place !== undefined) { this.select(ask.place, false); }
    if (ask.fly) { this.flyTo(ask.place); }
    if (ask.reveal) { revealFrame(window); }
    this.settleAddress();
  },
};
