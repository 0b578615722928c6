/*
 * geomap in-map script: draws the basemap, switches pre-built per-record layers
 * when the date moves (no Streamlit rerun, no map rebuild), runs the timeline,
 * legend and layer toggles, and reports date, place and layers back to Python
 * through the streamlit-folium component value.
 *
 * Python owns the whole style and the layer list: panes, legend rows, colours,
 * weights, dashes, markers and the basemap look all come from the payload
 * (geomap/payload.py, geomap/style.py, geomap/layers.py); this script holds no
 * style of its own. Data-supplied strings in the payload arrive already
 * HTML-escaped; this script only inserts them where HTML is expected.
 */
(function () {
  "use strict";

  var MS_DAY = 86400000;
  var PLAY_STEP_DAYS = 7;
  var PLAY_TICK_MS = 45;
  var SYNC_DELAY_MS = 300;

  function iso(n) { return new Date(n * MS_DAY).toISOString().slice(0, 10); }
  function dayOf(text) {
    var t = Date.parse(text + "T00:00:00Z");
    return isNaN(t) ? null : Math.round(t / MS_DAY);
  }
  function km2(v) { return Math.round(v).toLocaleString("en-GB") + " km\u00b2"; }
  /* The one interval test: a record holds day d on [f, t), t null meaning open. */
  function within(r, d) { return r.f <= d && (r.t === null || d < r.t); }
  function assign(target, extra) {
    Object.keys(extra).forEach(function (k) { target[k] = extra[k]; });
    return target;
  }
  function el(tag, cls, parent, htmlText) {
    var e = L.DomUtil.create(tag, cls || "", parent);
    if (htmlText !== undefined) { e.innerHTML = htmlText; }
    return e;
  }

  function GeoMap(map, P) {
    var self = this;
    this.map = map;
    this.P = P;
    this.S = P.style;
    this.layerOn = {};
    P.layers.forEach(function (l) { self.layerOn[l.id] = l.on; });
    this.cache = {};
    this.shown = {};
    this.pieceShown = {};
    this.place = null;
    this.lastNonce = null;
    this.playing = null;
    this.syncTimer = null;
    this.sent = 0;
    this.session = Math.random().toString(36).slice(2, 8);
    this.tiles = null;
    this.day = P.initial !== null && P.initial !== undefined ? P.initial : P.defaultDay;
    this.container = map.getContainer();
    var css = this.S.css;
    Object.keys(css).forEach(function (k) { self.container.style.setProperty(k, css[k]); });
    var panes = this.S.panes;
    var paneList = [["gmLand", panes.land], ["gmAdmin", panes.admin], ["gmRivers", panes.rivers],
      ["gmLabels", panes.labels]];
    P.layers.forEach(function (l) { paneList.push(["gm-" + l.id, l.z]); });
    paneList.forEach(function (p) {
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
    this.story = null;
    this.stepNo = null;
    this.buildStory();
    var relayout = function () {
      self.zoomClass();
      self.declutterSoon();
      self.reframe();
    };
    map.on("zoomend resize", relayout);
    map.on("moveend", function () { self.declutterSoon(); });
    /* The frame may get its final size (and the labels their boxes) after this script. */
    if (window.ResizeObserver) { new ResizeObserver(relayout).observe(this.container); }
    relayout();
    this.setDay(this.day, "init");
  }

  GeoMap.prototype.zoomClass = function () {
    var z = this.map.getZoom();
    this.container.classList.toggle("gm-zoom-far", z < 8);
    this.container.classList.toggle("gm-narrow", this.container.clientWidth < this.S.narrow);
  };

  GeoMap.prototype.drawBasemap = function () {
    var B = this.P.basemap;
    var look = this.S.basemap;
    var map = this.map;
    B.countries.forEach(function (c) {
      L.geoJSON(c.g, assign({
        pane: "gmLand", interactive: false, className: "gm-land"
      }, look.land)).addTo(map);
    });
    B.admin1.forEach(function (a) {
      L.geoJSON(a.g, assign({
        pane: "gmAdmin", interactive: false, className: "gm-admin", fill: false
      }, look.admin)).addTo(map);
    });
    B.rivers.forEach(function (r) {
      L.geoJSON(r.g, assign({
        pane: "gmRivers", interactive: false, className: "gm-river"
      }, look.river)).addTo(map);
    });
    var labels = this.labels = [];
    B.places.forEach(function (p) {
      labels.push(L.marker([p[0], p[1]], {
        pane: "gmLabels", interactive: false, keyboard: false,
        icon: L.divIcon({ className: "gm-place gm-rank-" + p[3], html: "<span>" + p[2] + "</span>", iconSize: null })
      }).addTo(map));
    });
  };

  /* streamlit-folium adds the style sheets after the scripts: until geomap.css
   * applies (it sets --gm-css-loaded), boxes are not their final size. */
  GeoMap.prototype.cssReady = function () {
    return !!getComputedStyle(this.container).getPropertyValue("--gm-css-loaded").trim();
  };

  /* Hide every label that would overprint one that comes before it in the payload's
   * order (the article's places first, then by population). All boxes are read in one
   * pass after un-hiding, so the page lays out once. */
  GeoMap.prototype.declutter = function (tries) {
    var self = this;
    if (!this.cssReady()) {
      tries = tries || 0;
      if (tries < 120 && window.requestAnimationFrame) {
        window.requestAnimationFrame(function () { self.declutter(tries + 1); });
      }
      return;
    }
    var els = this.labels.map(function (m) { return m.getElement(); });
    els.forEach(function (el) { if (el) { el.classList.remove("gm-hidden"); } });
    var boxes = els.map(function (el) {
      var span = el && el.firstChild;
      var r = span && span.getBoundingClientRect ? span.getBoundingClientRect() : null;
      return r && r.width > 0 ? r : null;
    });
    var kept = [];
    boxes.forEach(function (r, i) {
      if (!r) { return; }
      var hit = kept.some(function (k) {
        return r.left < k.right + 3 && r.right + 3 > k.left && r.top < k.bottom + 1 && r.bottom + 1 > k.top;
      });
      if (hit) { els[i].classList.add("gm-hidden"); } else { kept.push(r); }
    });
    this.declutters = (this.declutters || 0) + 1;
    this.container.setAttribute("data-gm-declutter", String(this.declutters));
  };

  /* Place the labels in the next frame, and once more when the map has been still
   * for a moment (marker positions can still move in the frames after a zoom). */
  GeoMap.prototype.declutterSoon = function () {
    var self = this;
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(function () { self.declutter(); }, 300);
    if (this.declutterPending) { return; }
    this.declutterPending = true;
    var run = function () { self.declutterPending = false; self.declutter(); };
    if (window.requestAnimationFrame) { window.requestAnimationFrame(run); } else { run(); }
  };

  /* Same as geomap.web.payload.record_class. */
  function recClass(key) { return "gm-rec-" + key.replace("@", "-"); }

  GeoMap.prototype.popup = function (r) {
    if (r.pop !== null) { return r.pop; }
    var N = this.S.notes, side = r.cl ? this.P.sides[r.cl] : null;
    var lines = ["<b>" + r.tip + "</b>"];
    if (side) { lines.push(side.label); }
    lines.push(iso(r.f) + (r.t === null ? " onwards" : " to " + iso(r.t)));
    if (r.a || r.lc) { lines.push("<i>" + N.approximateWord + "</i>"); }
    lines.push('<span class="gm-more">' + N.more + "</span>");
    return lines.join("<br>");
  };

  GeoMap.prototype.recordClass = function (r) {
    return "gm-rec " + recClass(r.k) + " gm-layer-" + r.l + " gm-id-" + r.id + " gm-kind-" + r.kd +
      (r.s ? " gm-status-" + r.s : "") + (r.cl ? " gm-side-" + r.cl : "") +
      (r.a || r.lc ? " gm-approx" : "");
  };

  /* Tooltip, popup and click of a layer; they read the record current() gives when they
   * open, so a land piece, whose record changes with the date, is bound only once. */
  GeoMap.prototype.bindRecord = function (layer, current, sticky) {
    var self = this;
    layer.bindTooltip(function () { return current().tip; },
      { sticky: sticky, direction: "top", className: "gm-tip" });
    layer.bindPopup(function () { return self.popup(current()); },
      { className: "gm-popup", maxWidth: 260 });
    layer.on("click", function () { self.select(current().id, true); });
  };

  GeoMap.prototype.recordLayer = function (i) {
    if (this.cache[i]) { return this.cache[i]; }
    var r = this.P.records[i];
    var opts = assign({ pane: "gm-" + r.l, className: this.recordClass(r) }, this.P.styles[r.si]);
    var layer;
    if (r.g.type === "Point") {
      layer = L.circleMarker([r.g.coordinates[1], r.g.coordinates[0]], opts);
    } else {
      layer = L.geoJSON(r.g, opts);
    }
    this.bindRecord(layer, function () { return r; }, r.g.type !== "Point");
    this.cache[i] = layer;
    return layer;
  };

  /* A shared piece of land drawn for one record of one layer: restyled, never rebuilt. */
  GeoMap.prototype.showPiece = function (key, piece, layerId, i) {
    var r = this.P.records[i];
    var entry = this.pieceShown[key];
    if (!entry) {
      var self = this;
      var layer = L.geoJSON(piece.g, assign({ pane: "gm-" + layerId }, this.P.styles[r.si]));
      entry = this.pieceShown[key] = { layer: layer, rec: -1, si: r.si, on: false };
      /* A change of date then only restyles the pieces whose look changes. */
      this.bindRecord(layer, function () { return self.P.records[entry.rec]; }, true);
    }
    if (!entry.on) {
      entry.layer.addTo(this.map);
      entry.on = true;
      entry.rec = -1;
    }
    if (entry.rec !== i) {
      entry.rec = i;
      if (entry.si !== r.si) {
        entry.si = r.si;
        entry.layer.setStyle(this.P.styles[r.si]);
      }
      var cls = "gm-piece " + this.recordClass(r);
      entry.layer.eachLayer(function (l) { if (l._path) { l._path.setAttribute("class", cls); } });
      this.mark(entry.layer, r.id === this.place);
    }
  };

  GeoMap.prototype.hidePiece = function (key) {
    var entry = this.pieceShown[key];
    if (entry && entry.on) {
      this.map.removeLayer(entry.layer);
      entry.on = false;
    }
  };

  GeoMap.prototype.drawPieces = function (d) {
    var P = this.P, recs = P.records;
    for (var k = 0; k < P.pieces.length; k++) {
      var piece = P.pieces[k];
      for (var layerId in piece.r) {
        var key = k + ":" + layerId, found = -1;
        if (this.layerOn[layerId]) {
          var runs = piece.r[layerId];
          for (var j = 0; j < runs.length && found < 0; j++) {
            for (var n = runs[j][0], e = n + runs[j][1]; n < e; n++) {
              if (within(recs[n], d)) { found = n; break; }
            }
          }
        }
        if (found >= 0) { this.showPiece(key, piece, layerId, found); } else { this.hidePiece(key); }
      }
    }
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
      if (r.g === null) { continue; }
      var vis = this.layerOn[r.l] && within(r, d);
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
    this.drawPieces(d);
    var text = iso(d);
    if (origin !== "slider") { this.slider.value = String(d); }
    this.dateLabel.textContent = text;
    this.areaLabel.textContent = "IS-held: " + km2(this.areaOn(d));
    this.eventLabel.innerHTML = this.eventText(d);
    this.container.setAttribute("data-gm-date", text);
    /* The key of a layer is listed only while the layer is shown: the legend stays short. */
    var lists = this.legendLists || {};
    for (var id in lists) { lists[id].classList.toggle("gm-legend-off", !this.layerOn[id]); }
    this.storyAway();
  };

  /* While a story is open and the reader moves the date away from the step's, the card
   * offers the way back. */
  GeoMap.prototype.storyAway = function () {
    if (!this.storyBox || !this.story) { return; }
    var step = this.story.steps[this.stepNo - 1];
    this.storyBox.classList.toggle("gm-story-away", this.day !== step.day);
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
    Object.keys(this.pieceShown).forEach(function (k) {
      var entry = self.pieceShown[k];
      if (entry.on) { self.mark(entry.layer, self.P.records[entry.rec].id === id); }
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
        story: self.story ? self.story.id : null, step: self.story ? self.stepNo : null,
        nonce: self.session + "-" + self.sent
      });
    }, delay);
  };

  GeoMap.prototype.command = function (cmd) {
    if (!cmd || cmd.nonce === this.lastNonce) { return; }
    this.lastNonce = cmd.nonce;
    var self = this;
    if (cmd.story) { this.storyGo(cmd.story, cmd.step, "python"); return; }
    if (cmd.story === null) { this.storyClose(false); }
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
        var box = self.timelineBox = el("div", "gm-timeline leaflet-bar");
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
        head.setAttribute("aria-expanded", "true");
        var collapse = function (on) {
          box.classList.toggle("gm-collapsed", on);
          head.setAttribute("aria-expanded", on ? "false" : "true");
        };
        L.DomEvent.on(head, "click", function () {
          collapse(!box.classList.contains("gm-collapsed"));
        });
        self.collapseLegend = collapse;
        if (self.container.clientWidth < self.S.narrow) { collapse(true); }
        self.boxes = {};
        self.legendLists = {};
        P.layers.forEach(function (l) {
          var lab = el("label", "gm-layer-row", body);
          var cb = el("input", "gm-toggle gm-toggle-" + l.id, lab);
          cb.type = "checkbox";
          cb.checked = l.on;
          self.boxes[l.id] = cb;
          var sw = l.styleBy === "status" ? '<span class="gm-sw gm-sw-dot"></span>'
            : '<span class="gm-sw" style="background:' + l.colour + '"></span>';
          el("span", "", lab, sw + l.label);
          L.DomEvent.on(cb, "change", function () {
            self.layerOn[l.id] = cb.checked;
            self.setDay(self.day, "layers");
            self.sync(0);
          });
          if (l.legend.length) {
            var list = el("div", "gm-status-list gm-legend-" + l.id, body);
            self.legendLists[l.id] = list;
            l.legend.forEach(function (row) {
              el("div", "gm-status-row", list, '<span class="gm-sw' +
                (row.shape === "dot" ? " gm-sw-dot" : "") + '" style="background:' + row.colour +
                ";opacity:" + row.opacity + '"></span>' + row.label);
            });
          }
        });
        var notes = self.S.notes;
        el("div", "gm-note", body, '<span class="gm-sw gm-sw-dash"></span>' + notes.approximate);
        el("div", "gm-note", body, '<span class="gm-sw gm-sw-dot2"></span>' + notes.low);
        el("div", "gm-note", body, notes.all);
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
        attribution: this.P.tiles.attribution, maxZoom: this.P.tiles.maxZoom,
        opacity: this.P.tiles.opacity
      });
      this.tiles.addTo(this.map);
    } else if (!on && this.tiles) {
      this.map.removeLayer(this.tiles);
      this.tiles = null;
    }
  };


  /* ---- Story mode: a card that walks through a story's steps (geomap/story.py).
   * The step's date, layers and selected place are applied as a command would
   * apply them, and the map flies to the step's frame, kept clear of the card
   * and the timeline. Steps are numbered from 1, as in links (?story=…&step=N). */
  GeoMap.prototype.storyById = function (id) {
    var list = this.P.stories || [];
    for (var i = 0; i < list.length; i++) { if (list[i].id === id) { return list[i]; } }
    return null;
  };

  GeoMap.prototype.storyGo = function (id, n, origin) {
    var story = this.storyById(id);
    if (!story) { return; }
    n = Math.max(1, Math.min(story.steps.length, Math.round(+n) || 1));
    var step = story.steps[n - 1], self = this;
    /* The card and the legend would cover most of the map: the legend folds to its button. */
    if (!this.story && this.collapseLegend) { this.collapseLegend(true); }
    this.story = story;
    this.stepNo = n;
    Object.keys(this.layerOn).forEach(function (k) {
      self.layerOn[k] = step.layers.indexOf(k) >= 0;
      if (self.boxes && self.boxes[k]) { self.boxes[k].checked = self.layerOn[k]; }
    });
    this.stop(false);
    this.setDay(step.day, "story");
    this.select(step.place, false);
    this.map.closePopup();
    this.container.setAttribute("data-gm-story", story.id);
    this.container.setAttribute("data-gm-step", String(n));
    if (this.storyBox) { this.renderStory(); }
    this.frameStep(step, origin === "init");
    if (origin !== "python" && origin !== "init") { this.sync(0); }
  };

  /* Fly to the step's frame, keeping it clear of the card (left of or above it on a
   * phone) and of the timeline at the bottom. */
  GeoMap.prototype.frameStep = function (step, quick, tries) {
    var self = this;
    if (!this.cssReady()) {
      tries = tries || 0;
      if (tries < 120 && window.requestAnimationFrame) {
        window.requestAnimationFrame(function () { self.frameStep(step, true, tries + 1); });
      }
      return;
    }
    var w = this.container.clientWidth, h = this.container.clientHeight;
    this.map.invalidateSize(false);
    /* The frame may still be getting its size (a link opened on a step): relayout
     * frames the step again when the size changes within a moment. */
    this.framed = { step: step, at: Date.now(), size: w + "x" + h };
    if (w < 120 || h < 120) { return; }
    var m = this.S.story.margin, c = this.container.getBoundingClientRect();
    var tl = [m, m], br = [m, m];
    if (this.storyBox && this.story) {
      var b = this.storyBox.getBoundingClientRect();
      if (w < this.S.narrow) { tl[1] = Math.min(b.bottom - c.top, h / 2) + m; }
      else { tl[0] = Math.min(b.right - c.left, w / 2) + m; }
    }
    if (this.timelineBox) {
      br[1] = Math.min(c.bottom - this.timelineBox.getBoundingClientRect().top, h / 3) + m;
    }
    var opts = { paddingTopLeft: tl, paddingBottomRight: br, maxZoom: 11 };
    if (quick) { this.map.fitBounds(step.bounds, opts); }
    else { this.map.flyToBounds(step.bounds, assign(opts, { duration: this.S.story.fly })); }
  };

  /* After a change of size, frame the step again if it was framed a moment ago. */
  GeoMap.prototype.reframe = function () {
    var f = this.framed;
    if (!f || !this.story) { return; }
    var size = this.container.clientWidth + "x" + this.container.clientHeight;
    if (size !== f.size && Date.now() - f.at < 4000) { this.frameStep(f.step, true); }
  };

  /* Leave the story; ``byReader`` (the card's close button, Escape) keeps the keyboard
   * on the card and tells Python, which does not need telling when it asked. */
  GeoMap.prototype.storyClose = function (byReader) {
    if (!this.story) { return; }
    this.story = null;
    this.stepNo = null;
    this.container.setAttribute("data-gm-story", "");
    this.container.setAttribute("data-gm-step", "");
    if (byReader) { this.storyFocus = "gm-story-start"; }
    if (this.storyBox) { this.renderStory(); }
    if (byReader) { this.sync(0); }
  };

  function list(items, tag, cls) {
    return "<" + tag + ' class="' + cls + '">' + items.join("") + "</" + tag + ">";
  }

  GeoMap.prototype.renderStory = function () {
    var box = this.storyBox, story = this.story, self = this;
    box.classList.toggle("gm-story-on", !!story);
    this.container.classList.toggle("gm-story-mode", !!story);
    if (!story) {
      box.setAttribute("aria-label", "Guided stories");
      box.innerHTML = (this.P.stories || []).map(function (s) {
        return '<button class="gm-btn gm-story-start" data-story="' + s.id +
          '" aria-label="Start the story: ' + s.title + '">&#9654; Story' +
          '<span class="gm-story-start-title">: ' + s.title + "</span></button>";
      }).join("");
      Array.prototype.forEach.call(box.querySelectorAll(".gm-story-start"), function (b) {
        L.DomEvent.on(b, "click", function () {
          self.storyFocus = "gm-story-next";
          self.storyGo(b.getAttribute("data-story"), 1, "card");
        });
      });
      if (this.storyFocus) {
        this.storyFocus = null;
        var first = box.querySelector(".gm-story-start");
        if (first) { first.focus(); }
      }
      return;
    }
    var n = this.stepNo, total = story.steps.length, step = story.steps[n - 1];
    var checks = step.checks.map(function (k) {
      return '<li><b class="gm-verdict gm-verdict-' + k.verdict.replace(/ /g, "-") + '">' + k.word +
        "</b> " + k.claim + '<br><span class="gm-story-expl">' + k.explanation + "</span></li>";
    });
    var sources = step.sources.map(function (src) { return "<li>" + src + "</li>"; });
    box.setAttribute("aria-label", "Story: " + story.title);
    box.innerHTML =
      '<div class="gm-story-head"><span class="gm-story-name">' + story.title + "</span>" +
      '<button class="gm-btn gm-story-close" aria-label="Leave the story" title="Leave the story">&#10005;</button></div>' +
      '<div class="gm-story-live" aria-live="polite">' +
      '<div class="gm-story-count">Step ' + n + " of " + total + " &middot; " + step.date + "</div>" +
      '<h2 class="gm-story-title">' + step.title + "</h2>" +
      '<div class="gm-story-body"><p class="gm-story-text">' + step.text + "</p>" +
      (checks.length ? '<details class="gm-story-checks"><summary>Fact check (' + checks.length +
        ")</summary>" + list(checks, "ul", "gm-story-list") + "</details>" : "") +
      '<details class="gm-story-sources"><summary>Sources (' + sources.length + ")</summary>" +
      list(sources, "ol", "gm-story-list") + "</details></div></div>" +
      '<button class="gm-btn gm-story-back">Back to this step\u2019s date and view</button>' +
      '<div class="gm-row gm-story-nav">' +
      '<button class="gm-btn gm-story-prev" aria-label="Previous step"' + (n <= 1 ? " disabled" : "") +
      ">&#9664; Previous</button>" +
      '<button class="gm-btn gm-story-next" aria-label="Next step"' + (n >= total ? " disabled" : "") +
      ">Next &#9654;</button></div>";
    var go = function (d) {
      return function () {
        self.storyFocus = d < 0 ? "gm-story-prev" : "gm-story-next";
        self.storyGo(story.id, self.stepNo + d, "card");
      };
    };
    L.DomEvent.on(box.querySelector(".gm-story-prev"), "click", go(-1));
    L.DomEvent.on(box.querySelector(".gm-story-next"), "click", go(1));
    L.DomEvent.on(box.querySelector(".gm-story-close"), "click", function () { self.storyClose(true); });
    L.DomEvent.on(box.querySelector(".gm-story-back"), "click", function () {
      self.storyFocus = "gm-story-next";
      self.storyGo(story.id, self.stepNo, "card");
    });
    this.storyAway();
    /* Keep the keyboard where it was: the button pressed, or the other one at an end. */
    var focus = this.storyFocus;
    this.storyFocus = null;
    if (focus) {
      var target = box.querySelector("." + focus);
      if (target && target.disabled) {
        target = box.querySelector(focus === "gm-story-next" ? ".gm-story-prev" : ".gm-story-next");
      }
      if (target) { target.focus(); }
    }
  };

  /* Arrow keys, Page Up/Down, Home and End step through the story; Escape leaves it. */
  GeoMap.prototype.storyKey = function (e) {
    if (!this.story) { return; }
    var keys = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };
    var n = this.stepNo, total = this.story.steps.length, target = null;
    if (keys[e.key]) { target = n + keys[e.key]; }
    else if (e.key === "Home") { target = 1; }
    else if (e.key === "End") { target = total; }
    else if (e.key === "Escape") { L.DomEvent.stop(e); this.storyClose(true); return; }
    if (target === null) { return; }
    L.DomEvent.stop(e);
    var active = document.activeElement;
    this.storyFocus = active && active.classList && active.classList.contains("gm-story-prev") ?
      "gm-story-prev" : "gm-story-next";
    if (target >= 1 && target <= total && target !== n) { this.storyGo(this.story.id, target, "card"); }
  };

  GeoMap.prototype.buildStory = function () {
    var self = this;
    if (!(this.P.stories || []).length || this.P.storyScroll) { return; }
    var Ctl = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var box = self.storyBox = el("section", "gm-story leaflet-bar");
        box.setAttribute("role", "region");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        L.DomEvent.on(box, "keydown", function (e) { self.storyKey(e); });
        self.renderStory();
        return box;
      }
    });
    new Ctl().addTo(this.map);
  };

  /* The scrolling story page (geomap export --story ID --format html): each section
   * marked data-gm-step takes the map to its step as it reaches the middle of the screen. */
  GeoMap.prototype.storyScroll = function (id) {
    var self = this, sections = document.querySelectorAll("[data-gm-step]");
    if (!sections.length) { return; }
    this.storyGo(id, +sections[0].getAttribute("data-gm-step"), "init");
    if (!window.IntersectionObserver) { return; }
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) {
        if (!en.isIntersecting) { return; }
        var n = +en.target.getAttribute("data-gm-step");
        Array.prototype.forEach.call(sections, function (s) { s.classList.toggle("gm-step-on", s === en.target); });
        if (n !== self.stepNo) { self.storyGo(id, n, "scroll"); }
      });
    }, { rootMargin: "-45% 0px -45% 0px" });
    Array.prototype.forEach.call(sections, function (s) { seen.observe(s); });
  };

  var pending = null;

  /* folium's page header forbids zooming the page (user-scalable=no), which shuts out
   * readers who need to enlarge text; allow it. */
  function allowPageZoom() {
    var metas = document.querySelectorAll('meta[name="viewport"]');
    for (var i = 0; i < metas.length; i++) {
      metas[i].setAttribute("content", "width=device-width, initial-scale=1");
    }
  }

  function start(map, payload) {
    allowPageZoom();
    var t0 = window.performance ? performance.now() : 0;
    window.geomap = new GeoMap(map, payload);
    /* For bench/bench_app.py: when the script started drawing and how long it took. */
    window.geomapTiming = { start: t0, init: (window.performance ? performance.now() : 0) - t0 };
    if (pending) { window.geomap.command(pending); pending = null; }
    if (payload.storyScroll) { window.geomap.storyScroll(payload.storyScroll); }
  }

  /* The app passes {src: url} (a same-origin cached file); exports inline the payload. */
  window.geomapInit = function (map, payload) {
    if (payload && payload.src) {
      var pre = window.geomapPrefetch;
      var data = pre && pre.src === payload.src ? pre.data :
        fetch(payload.src, { credentials: "same-origin" })
          .then(function (r) { if (!r.ok) { throw new Error("payload " + r.status); } return r.json(); });
      data.then(function (p) { start(map, p); });
    } else {
      start(map, payload);
    }
  };

  window.geomapCommand = function (cmd) {
    if (window.geomap) { window.geomap.command(cmd); } else { pending = cmd; }
  };
})();
