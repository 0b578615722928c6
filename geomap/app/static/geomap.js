/*
 * geomap in-map script: draws the basemap, switches pre-built per-record layers
 * when the date moves (no Streamlit rerun, no map rebuild), runs the timeline,
 * legend and layer toggles, and reports date, place and layers back to Python
 * through the streamlit-folium component value.
 *
 * Data-supplied strings in the payload arrive already HTML-escaped by
 * geomap/render.py; this script only inserts them where HTML is expected.
 */
(function () {
  "use strict";

  var MS_DAY = 86400000;
  var PANES = [
    ["gmLand", 210], ["gmAdmin", 220], ["gm-territory", 400], ["gm-hajin", 402],
    ["gm-euphrates_bend", 404], ["gm-idlib_front", 406], ["gmRivers", 430],
    ["gm-captured_cities", 450], ["gmLabels", 460]
  ];
  var STYLE = {
    territory: { weight: 1.5, fillOpacity: 0.38 },
    pocket: { weight: 2, fillOpacity: 0.5 },
    bend: { weight: 2.5, fillOpacity: 0.08 },
    front: { weight: 2, fillOpacity: 0.22 },
    zone: { weight: 1.5, fillOpacity: 0.55 }
  };
  var PLAY_STEP_DAYS = 7;
  var PLAY_TICK_MS = 45;
  var SYNC_DELAY_MS = 300;

  function iso(n) { return new Date(n * MS_DAY).toISOString().slice(0, 10); }
  function dayOf(text) {
    var t = Date.parse(text + "T00:00:00Z");
    return isNaN(t) ? null : Math.round(t / MS_DAY);
  }
  function km2(v) { return Math.round(v).toLocaleString("en-GB") + " km\u00b2"; }
  function el(tag, cls, parent, htmlText) {
    var e = L.DomUtil.create(tag, cls || "", parent);
    if (htmlText !== undefined) { e.innerHTML = htmlText; }
    return e;
  }

  function GeoMap(map, P) {
    var self = this;
    this.map = map;
    this.P = P;
    this.layerOn = {};
    P.layers.forEach(function (l) { self.layerOn[l.id] = true; });
    this.cache = {};
    this.shown = {};
    this.place = null;
    this.lastNonce = null;
    this.playing = null;
    this.syncTimer = null;
    this.sent = 0;
    this.session = Math.random().toString(36).slice(2, 8);
    this.tiles = null;
    var mid = dayOf("2015-01-15");
    this.day = P.initial !== null && P.initial !== undefined ? P.initial : mid;
    this.container = map.getContainer();
    PANES.forEach(function (p) {
      var pane = map.createPane(p[0]);
      pane.style.zIndex = p[1];
    });
    map.getPane("gmLabels").style.pointerEvents = "none";
    if (map.attributionControl && P.attribution) {
      map.attributionControl.setPrefix(false);
      map.attributionControl.addAttribution(P.attribution);
    }
    this.drawBasemap();
    this.buildTimeline();
    this.buildLegend();
    map.on("zoomend", function () { self.zoomClass(); });
    this.zoomClass();
    this.setDay(this.day, "init");
  }

  GeoMap.prototype.zoomClass = function () {
    var z = this.map.getZoom();
    this.container.classList.toggle("gm-zoom-far", z < 8);
  };

  GeoMap.prototype.drawBasemap = function () {
    var B = this.P.basemap;
    var map = this.map;
    B.countries.forEach(function (c) {
      L.geoJSON(c.g, {
        pane: "gmLand", interactive: false, className: "gm-land",
        color: "#6b6b6b", weight: 1.3, fillColor: "#f3f0e8", fillOpacity: 1
      }).addTo(map);
    });
    B.admin1.forEach(function (a) {
      L.geoJSON(a.g, {
        pane: "gmAdmin", interactive: false, className: "gm-admin",
        color: "#9a9a9a", weight: 0.7, dashArray: "3 3", fill: false
      }).addTo(map);
    });
    B.rivers.forEach(function (r) {
      L.geoJSON(r.g, {
        pane: "gmRivers", interactive: false, className: "gm-river",
        color: "#6fa8d6", weight: 2.2, opacity: 0.9
      }).addTo(map);
    });
    B.places.forEach(function (p) {
      L.marker([p[0], p[1]], {
        pane: "gmLabels", interactive: false, keyboard: false,
        icon: L.divIcon({ className: "gm-place gm-rank-" + p[3], html: "<span>" + p[2] + "</span>", iconSize: null })
      }).addTo(map);
    });
  };

  GeoMap.prototype.recordLayer = function (i) {
    if (this.cache[i]) { return this.cache[i]; }
    var self = this;
    var r = this.P.records[i];
    var cls = "gm-rec " + r.c + " gm-layer-" + r.l + " gm-id-" + r.id + " gm-kind-" + r.kd +
      (r.s ? " gm-status-" + r.s : "") + (r.a || r.lc ? " gm-approx" : "");
    var dash = r.lc ? "2 5" : (r.a ? "7 5" : null);
    var layer;
    if (r.g.type === "Point") {
      var st = this.P.status[r.s] || { colour: "#999999" };
      layer = L.circleMarker([r.g.coordinates[1], r.g.coordinates[0]], {
        pane: "gm-" + r.l, className: cls, radius: r.kd === "town" ? 6 : 7.5,
        color: "#000000", weight: 1.6, dashArray: dash ? "2 2" : null,
        fillColor: st.colour, fillOpacity: 1
      });
    } else {
      var base = STYLE[r.kd] || STYLE.territory;
      var colour = this.P.kindColour[r.kd] || this.layerColour(r.l);
      layer = L.geoJSON(r.g, {
        pane: "gm-" + r.l, className: cls, color: r.kd === "zone" ? "#000000" : colour,
        weight: base.weight, fillColor: colour,
        fillOpacity: r.lc ? base.fillOpacity * 0.6 : base.fillOpacity, dashArray: dash
      });
    }
    layer.bindTooltip(r.tip, { sticky: r.g.type !== "Point", direction: "top", className: "gm-tip" });
    layer.bindPopup(r.pop, { className: "gm-popup", maxWidth: 260 });
    layer.on("click", function () { self.select(r.id, true); });
    this.cache[i] = layer;
    return layer;
  };

  GeoMap.prototype.layerColour = function (id) {
    for (var i = 0; i < this.P.layers.length; i++) {
      if (this.P.layers[i].id === id) { return this.P.layers[i].colour; }
    }
    return "#000000";
  };

  GeoMap.prototype.areaOn = function (d) {
    var A = this.P.areas;
    var lo = 0, hi = A.length - 1, best = -1;
    while (lo <= hi) {
      var m = (lo + hi) >> 1;
      if (A[m][0] <= d) { best = m; lo = m + 1; } else { hi = m - 1; }
    }
    return best < 0 ? 0 : A[best][1];
  };

  GeoMap.prototype.setDay = function (d, origin) {
    var P = this.P;
    d = Math.max(P.start, Math.min(P.end, Math.round(d)));
    this.day = d;
    var recs = P.records;
    for (var i = 0; i < recs.length; i++) {
      var r = recs[i];
      var vis = this.layerOn[r.l] && r.f <= d && (r.t === null || d < r.t);
      if (vis && !this.shown[i]) {
        var lay = this.recordLayer(i);
        lay.addTo(this.map);
        this.shown[i] = lay;
        if (r.id === this.place) { this.mark(lay, true); }
      } else if (!vis && this.shown[i]) {
        this.map.removeLayer(this.shown[i]);
        delete this.shown[i];
      }
    }
    var text = iso(d);
    if (origin !== "slider") { this.slider.value = String(d); }
    this.dateLabel.textContent = text;
    this.areaLabel.textContent = "IS-held: " + km2(this.areaOn(d));
    this.eventLabel.innerHTML = this.eventText(d);
    this.container.setAttribute("data-gm-date", text);
  };

  GeoMap.prototype.eventText = function (d) {
    var out = [];
    this.P.events.forEach(function (e) { if (e[0] === d) { out.push(e[2]); } });
    return out.join("; ");
  };

  GeoMap.prototype.mark = function (layer, on) {
    var paths = [];
    if (layer._path) { paths.push(layer._path); }
    if (layer.eachLayer) { layer.eachLayer(function (l) { if (l._path) { paths.push(l._path); } }); }
    paths.forEach(function (p) { p.classList.toggle("gm-selected", on); });
  };

  GeoMap.prototype.select = function (id, fromMap) {
    var self = this;
    this.place = id;
    Object.keys(this.shown).forEach(function (i) {
      self.mark(self.shown[i], self.P.records[i].id === id);
    });
    this.container.setAttribute("data-gm-place", id || "");
    if (fromMap) { this.sync(0); }
  };

  GeoMap.prototype.flyTo = function (id) {
    var t = this.P.things[id];
    if (!t) { return; }
    var self = this;
    this.map.closePopup();
    this.map.once("moveend", function () {
      Object.keys(self.shown).forEach(function (i) {
        if (self.P.records[i].id === id) { self.shown[i].openPopup(); }
      });
    });
    this.map.flyTo([t.lat, t.lon], t.zoom, { duration: 0.6 });
  };

  GeoMap.prototype.sync = function (delay) {
    var self = this;
    if (this.syncTimer) { clearTimeout(this.syncTimer); }
    this.syncTimer = setTimeout(function () {
      self.syncTimer = null;
      var S = window.Streamlit;
      if (!S || !S.setComponentValue) { return; }
      self.sent += 1;
      var on = self.P.layers.filter(function (l) { return self.layerOn[l.id]; })
        .map(function (l) { return l.id; });
      S.setComponentValue({
        date: iso(self.day), place: self.place, layers: on,
        nonce: self.session + "-" + self.sent
      });
    }, delay);
  };

  GeoMap.prototype.command = function (cmd) {
    if (!cmd || cmd.nonce === this.lastNonce) { return; }
    this.lastNonce = cmd.nonce;
    var self = this;
    if (cmd.layers) {
      Object.keys(this.layerOn).forEach(function (k) {
        self.layerOn[k] = cmd.layers.indexOf(k) >= 0;
        if (self.boxes[k]) { self.boxes[k].checked = self.layerOn[k]; }
      });
    }
    this.stop(false);
    var d = cmd.date ? dayOf(cmd.date) : null;
    this.setDay(d === null ? this.day : d, "python");
    if (cmd.place !== undefined) { this.select(cmd.place, false); }
    if (cmd.fly && cmd.place) { this.flyTo(cmd.place); }
  };

  GeoMap.prototype.step = function (dir) {
    var d = this.day, ev = this.P.events, target = null;
    for (var i = 0; i < ev.length; i++) {
      var e = ev[dir > 0 ? i : ev.length - 1 - i][0];
      if ((dir > 0 && e > d) || (dir < 0 && e < d)) { target = e; break; }
    }
    if (target === null) { target = dir > 0 ? this.P.end : this.P.start; }
    this.stop(false);
    this.setDay(target, "step");
    this.sync(SYNC_DELAY_MS);
  };

  GeoMap.prototype.play = function () {
    var self = this;
    if (this.playing) { this.stop(true); return; }
    if (this.day >= this.P.end) { this.setDay(this.P.start, "play"); }
    this.playBtn.innerHTML = "&#10074;&#10074;";
    this.playBtn.title = "Pause";
    this.playBtn.setAttribute("aria-label", "Pause");
    this.playing = setInterval(function () {
      var next = self.day + PLAY_STEP_DAYS;
      self.setDay(next, "play");
      if (next >= self.P.end) { self.stop(true); }
    }, PLAY_TICK_MS);
  };

  GeoMap.prototype.stop = function (report) {
    if (!this.playing) { return; }
    clearInterval(this.playing);
    this.playing = null;
    this.playBtn.innerHTML = "&#9654;";
    this.playBtn.title = "Play";
    this.playBtn.setAttribute("aria-label", "Play");
    if (report) { this.sync(0); }
  };

  GeoMap.prototype.buildTimeline = function () {
    var self = this, P = this.P;
    var Ctl = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        var box = el("div", "gm-timeline leaflet-bar");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        var row = el("div", "gm-row", box);
        self.prevBtn = el("button", "gm-btn gm-prev", row, "&#9664;&#10073;");
        self.prevBtn.title = "Previous event";
        self.prevBtn.setAttribute("aria-label", "Previous event");
        self.playBtn = el("button", "gm-btn gm-play", row, "&#9654;");
        self.playBtn.title = "Play";
        self.playBtn.setAttribute("aria-label", "Play");
        self.nextBtn = el("button", "gm-btn gm-next", row, "&#10073;&#9654;");
        self.nextBtn.title = "Next event";
        self.nextBtn.setAttribute("aria-label", "Next event");
        var track = el("div", "gm-track", row);
        var ticks = el("div", "gm-ticks", track);
        var span = P.end - P.start;
        var marks = P.events.map(function (e) {
          var left = ((e[0] - P.start) / span * 100).toFixed(3);
          return '<span class="gm-tick gm-tick-' + e[1] + '" style="left:' + left +
            '%" title="' + e[2] + '"></span>';
        });
        ticks.innerHTML = marks.join("");
        self.slider = el("input", "gm-slider", track);
        self.slider.type = "range";
        self.slider.min = String(P.start);
        self.slider.max = String(P.end);
        self.slider.step = "1";
        self.slider.setAttribute("aria-label", "Date");
        var years = el("div", "gm-years", track);
        var yhtml = [];
        for (var y = 2014; y <= 2019; y++) {
          var yd = dayOf(y + "-01-01");
          yhtml.push('<span style="left:' + ((yd - P.start) / span * 100).toFixed(3) + '%">' + y + "</span>");
        }
        years.innerHTML = yhtml.join("");
        var info = el("div", "gm-info", row);
        self.dateLabel = el("div", "gm-date", info);
        self.areaLabel = el("div", "gm-area", info);
        self.eventLabel = el("div", "gm-event", box);
        L.DomEvent.on(self.slider, "input", function () {
          self.stop(false);
          self.setDay(+self.slider.value, "slider");
          self.sync(SYNC_DELAY_MS);
        });
        L.DomEvent.on(self.playBtn, "click", function () { self.play(); });
        L.DomEvent.on(self.prevBtn, "click", function () { self.step(-1); });
        L.DomEvent.on(self.nextBtn, "click", function () { self.step(1); });
        return box;
      }
    });
    new Ctl().addTo(this.map);
  };

  GeoMap.prototype.buildLegend = function () {
    var self = this, P = this.P;
    var Ctl = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        var box = el("div", "gm-legend leaflet-bar");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        var head = el("button", "gm-legend-head", box, "Layers and legend");
        var body = el("div", "gm-legend-body", box);
        L.DomEvent.on(head, "click", function () { box.classList.toggle("gm-collapsed"); });
        self.boxes = {};
        P.layers.forEach(function (l) {
          var lab = el("label", "gm-layer-row", body);
          var cb = el("input", "gm-toggle gm-toggle-" + l.id, lab);
          cb.type = "checkbox";
          cb.checked = true;
          self.boxes[l.id] = cb;
          var sw = l.id === "captured_cities" ? '<span class="gm-sw gm-sw-dot"></span>'
            : '<span class="gm-sw" style="background:' + l.colour + '"></span>';
          el("span", "", lab, sw + l.label);
          L.DomEvent.on(cb, "change", function () {
            self.layerOn[l.id] = cb.checked;
            self.setDay(self.day, "layers");
            self.sync(0);
          });
          if (l.id === "captured_cities") {
            var st = el("div", "gm-status-list", body);
            Object.keys(P.status).forEach(function (k) {
              el("div", "gm-status-row", st, '<span class="gm-sw gm-sw-dot" style="background:' +
                P.status[k].colour + '"></span>' + P.status[k].label);
            });
          }
          if (l.id === "idlib_front") {
            el("div", "gm-status-row gm-sub", body, '<span class="gm-sw" style="background:' +
              P.kindColour.zone + '"></span>Sochi demilitarised zone');
          }
        });
        el("div", "gm-note", body, '<span class="gm-sw gm-sw-dash"></span>Dashed outline: approximate shape');
        el("div", "gm-note", body, '<span class="gm-sw gm-sw-dot2"></span>Dotted outline, paler fill: low confidence');
        el("div", "gm-note", body, "All shapes are approximate reconstructions.");
        var lab = el("label", "gm-layer-row gm-online", body);
        var cb = el("input", "gm-toggle gm-toggle-tiles", lab);
        cb.type = "checkbox";
        cb.checked = false;
        el("span", "", lab, "Online street map (needs internet)");
        L.DomEvent.on(cb, "change", function () { self.toggleTiles(cb.checked); });
        return box;
      }
    });
    new Ctl().addTo(this.map);
  };

  GeoMap.prototype.toggleTiles = function (on) {
    if (on && !this.tiles) {
      this.tiles = L.tileLayer(this.P.tiles.url, {
        attribution: this.P.tiles.attribution, maxZoom: 19, opacity: 0.55
      });
      this.tiles.addTo(this.map);
    } else if (!on && this.tiles) {
      this.map.removeLayer(this.tiles);
      this.tiles = null;
    }
  };

  var pending = null;

  window.geomapInit = function (map, payload) {
    window.geomap = new GeoMap(map, payload);
    if (pending) { window.geomap.command(pending); pending = null; }
  };

  window.geomapCommand = function (cmd) {
    if (window.geomap) { window.geomap.command(cmd); } else { pending = cmd; }
  };
})();
