/* The command room's event map: grid polygons coloured by open events or overdue rate, open events as
 * clustered markers coloured by their status light, over the shared base layer (js/basemap.js).
 * Data: two GeoJSON endpoints of the dashboard app (already scoped, and already in the display coordinate
 * system: GCJ-02 when the tiles are AMap/Tencent). Text comes from the page (translated there). */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("map-config").textContent);
  var text = config.text;
  var el = document.getElementById("map");
  var form = document.getElementById("map-filters");
  var statusLine = document.getElementById("map-status");

  var OPEN_BREAKS = [1, 3, 6, 11, 21];
  var OPEN_COLOURS = ["#f8fafc", "#dbeafe", "#93c5fd", "#60a5fa", "#2563eb", "#1e3a8a"];
  var RATE_BREAKS = [0.1, 0.25, 0.5];
  var RATE_COLOURS = { none: "#f8fafc", zero: "#dcfce7", low: "#fde68a", mid: "#fb923c", high: "#ef4444", top: "#991b1b" };

  var map = L.map(el, { zoomControl: true, minZoom: 5, maxZoom: 19, attributionControl: false, zoomSnap: 0.5 });
  var base = GrassrootsBasemap.add(map);
  map.setView([30.0, 120.0], 11);

  var stats = {};
  var mode = "open";

  function gridFigures(id) {
    var s = stats[String(id)];
    return s ? { open: s[0], overdue: s[1] } : { open: 0, overdue: 0 };
  }

  function bucket(value, breaks) {
    var i = 0;
    while (i < breaks.length && value >= breaks[i]) i += 1;
    return i;
  }

  function fillFor(id) {
    var f = gridFigures(id);
    if (mode === "open") return OPEN_COLOURS[bucket(f.open, OPEN_BREAKS)];
    if (!f.open) return RATE_COLOURS.none;
    if (!f.overdue) return RATE_COLOURS.zero;
    var rate = f.overdue / f.open;
    return [RATE_COLOURS.low, RATE_COLOURS.mid, RATE_COLOURS.high, RATE_COLOURS.top][bucket(rate, RATE_BREAKS)];
  }

  // Translucent, and nearly clear where there is nothing to show, so the base map reads through the grids.
  function gridStyle(feature) {
    var fill = fillFor(feature.properties.id);
    var empty = fill === OPEN_COLOURS[0] || fill === RATE_COLOURS.none;
    return { color: "#475569", weight: 1, opacity: 0.7, fillColor: fill, fillOpacity: empty ? 0.12 : 0.55 };
  }

  function node(tag, className, content) {
    var n = document.createElement(tag);
    if (className) n.className = className;
    if (content !== undefined && content !== null) n.textContent = String(content);
    return n;
  }

  function percent(part, whole) {
    return whole ? Math.round((100 * part) / whole) + "%" : "–";
  }

  function queueLink(params) {
    if (!config.queueUrl) return null;
    var query = new URLSearchParams(params).toString();
    return config.queueUrl + (config.queueUrl.indexOf("?") >= 0 ? "&" : "?") + query;
  }

  function gridTooltip(p) {
    // A node, not a string: Leaflet would read a string as HTML, and grid names come from imports.
    var f = gridFigures(p.id);
    return node("span", "", p.name + " · " + text.open + " " + f.open + " · " + text.overdue + " " + f.overdue);
  }

  function gridPopup(p) {
    var f = gridFigures(p.id);
    var box = node("div", "grid-popup");
    box.appendChild(node("strong", "", p.name));
    box.appendChild(node("div", "muted", p.village + " · " + p.code));
    var dl = node("div", "grid-popup-figures");
    dl.appendChild(node("span", "", text.open + " " + f.open));
    dl.appendChild(node("span", "red", text.overdue + " " + f.overdue));
    dl.appendChild(node("span", "", text.overdueRate + " " + percent(f.overdue, f.open)));
    box.appendChild(dl);
    var href = queueLink({ grid: p.code });
    if (href) {
      var a = node("a", "", text.gridQueue);
      a.href = href;
      box.appendChild(a);
    }
    return box;
  }

  var labels = L.layerGroup();
  var gridLayer = L.geoJSON(null, {
    style: gridStyle,
    onEachFeature: function (feature, layer) {
      var p = feature.properties;
      layer.bindTooltip(function () { return gridTooltip(p); }, { sticky: true, className: "grid-tip" });
      layer.bindPopup(function () { return gridPopup(p); });
      var label = node("span", "", p.name);
      L.marker([p.label[1], p.label[0]], {
        icon: L.divIcon({ className: "grid-label", html: label, iconSize: null }),
        interactive: false,
        keyboard: false,
      }).addTo(labels);
    },
  }).addTo(map);

  function syncLabels() {
    var show = map.getZoom() >= config.labelZoom;
    if (show && !map.hasLayer(labels)) map.addLayer(labels);
    if (!show && map.hasLayer(labels)) map.removeLayer(labels);
  }
  map.on("zoomend", syncLabels);

  var LIGHT_RANK = { red: 3, yellow: 2, green: 1, none: 0 };

  var clusters = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    maxClusterRadius: 48,
    spiderfyOnMaxZoom: true,
    iconCreateFunction: function (cluster) {
      var worst = "none";
      cluster.getAllChildMarkers().forEach(function (m) {
        if (LIGHT_RANK[m.options.light] > LIGHT_RANK[worst]) worst = m.options.light;
      });
      var count = cluster.getChildCount();
      var size = count < 10 ? 30 : count < 100 ? 36 : 44;
      return L.divIcon({
        html: "<span>" + count + "</span>",
        className: "ev-cluster ev-cluster-" + worst,
        iconSize: L.point(size, size),
      });
    },
  });
  map.addLayer(clusters);

  function eventPopup(p) {
    var href = config.eventUrl.replace("{id}", String(p.id));
    var box = node("div", "ev-popup");
    box.appendChild(node("div", "ev-no num", p.n || text.noNumber));
    var title = node("a", "ev-title", p.t);
    title.href = href;
    box.appendChild(title);
    var meta = node("div", "ev-meta");
    meta.appendChild(node("span", "tag", config.statuses[p.s] || p.s));
    var light = p.l || "none";
    meta.appendChild(node("span", "light " + light, text.lights[light]));
    box.appendChild(meta);
    var open = node("a", "ev-open", text.openEvent);
    open.href = href;
    box.appendChild(open);
    return box;
  }

  function markerFor(feature) {
    var p = feature.properties;
    var c = feature.geometry.coordinates;
    var light = p.l || "none";
    var marker = L.marker([c[1], c[0]], {
      icon: L.divIcon({ className: "ev-marker ev-" + light, iconSize: [14, 14] }),
      light: light,
      title: (p.n ? p.n + " " : "") + p.t,
    });
    marker.bindPopup(function () { return eventPopup(p); }, { minWidth: 220 });
    return marker;
  }

  function renderLegend() {
    var legend = document.getElementById("map-legend");
    legend.textContent = "";
    var rows;
    if (mode === "open") {
      rows = [["0", OPEN_COLOURS[0]]];
      for (var i = 0; i < OPEN_BREAKS.length; i += 1) {
        var lo = OPEN_BREAKS[i];
        var hi = OPEN_BREAKS[i + 1];
        rows.push([hi ? (hi - 1 > lo ? lo + "–" + (hi - 1) : String(lo)) : lo + "+", OPEN_COLOURS[i + 1]]);
      }
      legend.appendChild(node("div", "legend-title", text.legendOpen));
    } else {
      rows = [
        [text.noOpen, RATE_COLOURS.none],
        ["0%", RATE_COLOURS.zero],
        ["< 10%", RATE_COLOURS.low],
        ["10–25%", RATE_COLOURS.mid],
        ["25–50%", RATE_COLOURS.high],
        ["≥ 50%", RATE_COLOURS.top],
      ];
      legend.appendChild(node("div", "legend-title", text.legendRate));
    }
    var list = node("ul", "legend-rows");
    rows.forEach(function (row) {
      var li = node("li");
      var swatch = node("span", "swatch");
      swatch.style.background = row[1];
      li.appendChild(swatch);
      li.appendChild(node("span", "", row[0]));
      list.appendChild(li);
    });
    legend.appendChild(list);
  }

  function renderTotals(totals) {
    document.getElementById("total-open").textContent = String(totals.open);
    document.getElementById("total-overdue").textContent = String(totals.overdue);
  }

  function filterQuery() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value) params.set(key, value); });
    return params.toString();
  }

  var pending = null;

  function fetchEvents() {
    var query = filterQuery();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
    if (pending) pending.abort();
    pending = new AbortController();
    statusLine.textContent = text.loading;
    return fetch(config.eventsUrl + (query ? "?" + query : ""), {
      credentials: "same-origin",
      headers: { Accept: "application/geo+json" },
      signal: pending.signal,
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(body.message || text.failed);
        return body;
      });
    });
  }

  function drawEvents(data) {
    stats = data.grids || {};
    gridLayer.setStyle(gridStyle);
    clusters.clearLayers();
    clusters.addLayers(data.features.map(markerFor));
    renderTotals(data.totals);
    statusLine.textContent = data.truncated ? text.truncated : text.markers.replace("{n}", data.features.length);
    el.dataset.events = String(data.features.length);
  }

  function failed(err) {
    if (err.name !== "AbortError") statusLine.textContent = err.message || text.failed;
  }

  function loadEvents() {
    return fetchEvents().then(drawEvents).catch(failed);
  }

  function fetchGrids() {
    return fetch(config.gridsUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (r) {
        if (!r.ok) throw new Error(text.failed);
        return r.json();
      });
  }

  function drawGrids(data) {
    gridLayer.addData(data);
    document.getElementById("total-grids").textContent = String(data.features.length);
  }

  // The first view: the viewer's grids and every marker (a grid worker's own report may lie outside their
  // grid). Fitted without animation and before the markers go in: markers added to a cluster group during a
  // zoom animation are not drawn until the next zoom.
  function fitFirstView(events) {
    var bounds = L.latLngBounds([]);
    if (gridLayer.getLayers().length) bounds.extend(gridLayer.getBounds());
    events.features.forEach(function (f) {
      bounds.extend([f.geometry.coordinates[1], f.geometry.coordinates[0]]);
    });
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], animate: false, maxZoom: 17 });
    syncLabels();
  }

  form.addEventListener("change", loadEvents);
  form.addEventListener("submit", function (e) { e.preventDefault(); loadEvents(); });
  document.querySelectorAll("input[name=color]").forEach(function (input) {
    input.addEventListener("change", function () {
      mode = input.value;
      gridLayer.setStyle(gridStyle);
      renderLegend();
    });
  });

  renderLegend();
  var firstEvents = fetchEvents();
  fetchGrids()
    .then(drawGrids)
    .catch(failed)
    .then(function () {
      return firstEvents.then(
        function (data) {
          fitFirstView(data);
          drawEvents(data);
        },
        function (err) {
          fitFirstView({ features: [] });
          failed(err);
        }
      );
    })
    .then(function () { el.dataset.ready = "1"; });

  // For the end-to-end tests and for debugging from the console.
  window.grassrootsMap = { map: map, base: base, grids: gridLayer, clusters: clusters, labels: labels };
})();
