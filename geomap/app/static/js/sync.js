/**
 * The messages between Python and the live map (their shapes: Command and
 * ComponentValue in geomap/web/payload_schema.py).
 *
 * Python sends a command through `geomapCommand`, run once per nonce; the map
 * reports its date, selected place, layers and story step back through
 * streamlit-folium's component value (window.Streamlit.setComponentValue).
 */

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
  /* Report the view to Python after `delay` ms (a newer report replaces a waiting one). */
  sync(delay) {
    if (this.syncTimer) { clearTimeout(this.syncTimer); }
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      const S = window.Streamlit;
      if (!S || !S.setComponentValue) { return; }
      this.sent += 1;
      S.setComponentValue(componentValue({
        day: this.day,
        place: this.place,
        layers: layersShown(this.P.layers, this.layerOn),
        story: this.story,
        stepNo: this.stepNo,
        nonce: this.session + "-" + this.sent,
      }));
    }, delay);
  },

  command(cmd) {
    const ask = readCommand(cmd, this.lastNonce);
    if (!ask) { return; }
    this.lastNonce = cmd.nonce;
    if (ask.story) { this.storyGo(ask.story, ask.step, "python"); return; }
    if (ask.leaveStory) { this.storyClose(false); }
    if (ask.layers) { this.showLayers(ask.layers); }
    this.stop(false);
    this.setDay(ask.day === null ? this.day : ask.day, "python");
    if (ask.place !== undefined) { this.select(ask.place, false); }
    if (ask.fly) { this.flyTo(ask.place); }
    if (ask.reveal) { revealFrame(window); }
  },
};
