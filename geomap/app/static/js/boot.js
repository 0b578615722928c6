/* geomap: starts the map script's ES modules in the app (a classic script, not a module).
 *
 * streamlit-folium loads a map's scripts as classic scripts, one after another, then
 * runs the map's own script, which calls window.geomapInit(map, payload); Python's
 * commands call window.geomapCommand(cmd). Modules run later (they are deferred), so
 * this file defines both as queues, then loads main.js as a module; main.js replaces
 * them and runs what was queued.
 *
 * Its own URL says what to load: ?v=<hash of all the modules>&m=<their names>. An
 * import map gives every module that same ?v=, so that no browser keeps a stale
 * module after an upgrade (the modules import each other by plain names).
 */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || window.geomapQueue !== undefined) { return; }
  var queue = window.geomapQueue = [];
  window.geomapInit = function (map, payload) { queue.push(["init", map, payload]); };
  window.geomapCommand = function (cmd) { queue.push(["command", cmd]); };
  var own = new URL(me.src, window.location.href);
  var version = own.searchParams.get("v") || "";
  var names = (own.searchParams.get("m") || "").split(",").filter(function (n) {
    return /^[a-z][a-z0-9_]*$/.test(n);
  });
  var versioned = function (name) {
    var url = new URL(name + ".js", own);
    url.search = version ? "?v=" + encodeURIComponent(version) : "";
    return url;
  };
  var imports = {};
  names.forEach(function (name) {
    imports[new URL(name + ".js", own).pathname] = versioned(name).pathname + versioned(name).search;
  });
  var map = document.createElement("script");
  map.type = "importmap";
  map.textContent = JSON.stringify({ imports: imports });
  document.head.appendChild(map);
  // Ask for every module at once, instead of one level of imports after another.
  names.forEach(function (name) {
    var link = document.createElement("link");
    link.rel = "modulepreload";
    link.href = versioned(name).href;
    document.head.appendChild(link);
  });
  var entry = document.createElement("script");
  entry.type = "module";
  entry.src = versioned("main").href;
  entry.onerror = function () { console.error("geomap: the map script could not be loaded"); };
  document.head.appendChild(entry);
})();
