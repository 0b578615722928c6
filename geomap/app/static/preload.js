/* geomap: start fetching the map's payload while Leaflet and geomap.js load.
 *
 * streamlit-folium loads the map's scripts one after another, and the map
 * script asks for its payload only once all of them have run. This file is
 * loaded first; its own URL names the payload (?payload=/app/static/...), so
 * the download overlaps the script loads. Only a same-origin path is fetched.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.URL || !window.fetch) { return; }
  var src = new URL(me.src, window.location.href).searchParams.get("payload");
  if (!src || src.charAt(0) !== "/" || src.charAt(1) === "/") { return; }
  window.geomapPrefetch = {
    src: src,
    data: fetch(src, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("payload " + r.status); }
      return r.json();
    })
  };
})();
