/**
 * Small DOM helpers on top of Leaflet's (the global `L`, loaded before the script).
 *
 * HTML given to them is either the script's own wording or escaped text from the
 * payload (see geomap/web/payload_schema.py): nothing here escapes.
 */

/**
 * Create an element, add it to `parent` and set its HTML.
 * @param {string} tag
 * @param {string} cls CSS classes
 * @param {HTMLElement} [parent]
 * @param {string} [html] the script's wording or escaped payload text
 * @returns {HTMLElement}
 */
export function el(tag, cls, parent, html) {
  const e = L.DomUtil.create(tag, cls || "", parent);
  if (html !== undefined) { e.innerHTML = html; }
  return e;
}

/**
 * Add a box on the map at `position` whose content `build()` makes; clicks and wheel
 * turns on it do not reach the map.
 * @param {object} map Leaflet map
 * @param {string} position "topleft", "topright", "bottomleft" or "bottomright"
 * @param {function(): HTMLElement} build
 */
export function addBox(map, position, build) {
  const Box = L.Control.extend({
    options: { position: position },
    onAdd: function () {
      const box = build();
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });
  new Box().addTo(map);
}
