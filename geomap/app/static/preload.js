/* geomap: start fetching the map's payload while Leaflet and geomap.js load.
 *
 * streamlit-folium loads the map's scripts one after another, and the map
 * script asks for its payload only once all of them have run. This file is
 * loaded first; its own URL names the payload (?payload=/app/static/...), so
 * the download overlaps the script loads. Only a same-origin path is fetched.
 *
 * Being first, it also puts up the map area's loading line (.gm-loading, a
 * role=status line a screen reader announces), so the frame says what it is
 * doing from its first moment; main.js updates it and removes it once drawn.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.URL || !window.fetch) { return; }
  var src = new URL(me.src, window.location.href).searchParams.get("payload");
  if (!src || src.charAt(0) !== "/" || src.charAt(1) === "/") { return; }
  if (document.body && !document.querySelector(".gm-loading")) {
    var line = document.createElement("div");
    line.className = "gm-loading";
    line.setAttribute("role", "status");
    line.setAttribute("aria-live", "polite");
    line.textContent = "Loading the map: downloading its data\u2026";
    document.body.appendChild(line);
  }
  window.geomapPrefetch = {
    src: src,
    data: fetch(src, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("payload " + r.status); }
      return r.json();
    })
  };
})();
