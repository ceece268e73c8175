/* The base layer under every map, in one place: the configured tiles (天地图 or a tile URL), or else the base-map
 * features of the database as a light vector map (water, village boundaries, roads, names), fetched for the area
 * shown. The page writes #basemap-config ({% basemap_assets %}); a map script calls GrassrootsBasemap.add(map).
 * Leaflet is only needed when add() runs, so this file may load before a deferred leaflet.js. */
(function () {
  "use strict";

  // Requests cover the view and half of it again on every side, widened to this step (the server widens too).
  var STEP = 0.02;
  var MAX_SPAN = 1.0;
  var WATER = "#a9cce6";
  var STYLE = {
    waterArea: { color: WATER, weight: 1, fillColor: "#bcd8ee", fillOpacity: 1 },
    boundary: {
      2: { color: "#8b7fa3", weight: 2.2, dashArray: "10 4 2 4", opacity: 0.9 },
      3: { color: "#9d93b3", weight: 1.3, dashArray: "5 4", opacity: 0.9 },
    },
    // Width at zoom 14; thinner when zoomed out, wider when zoomed in.
    waterWidth: { 1: 6, 2: 4, 3: 2.2 },
    roadWidth: { 1: 7, 2: 5.5, 3: 4 },
    roadFill: { 1: "#f9dc8c", 2: "#ffffff", 3: "#ffffff" },
    casing: "#b9b1a0",
  };

  function readConfig() {
    var el = document.getElementById("basemap-config");
    return el ? JSON.parse(el.textContent) : { tiles: [] };
  }

  function widthFactor(zoom) {
    return Math.max(0.4, Math.min(2.2, 1 + (zoom - 14) * 0.3));
  }

  function addTiles(map, tiles) {
    tiles.forEach(function (t) {
      L.tileLayer(t.url, { subdomains: t.subdomains, maxZoom: t.max_zoom, attribution: t.attribution }).addTo(map);
    });
    var credited = tiles.some(function (t) { return t.attribution; });
    // Added after the layers: the control collects their attributions when it is added.
    if (credited && !map.attributionControl) L.control.attribution({ prefix: false }).addTo(map);
    map.getContainer().dataset.basemap = "tiles";
    return { mode: "tiles" };
  }

  function labelIcon(p) {
    var span = document.createElement("span");
    span.textContent = p.name;
    if (p.kind !== "boundary" && p.angle) span.style.transform = "translate(-50%, -50%) rotate(" + -p.angle + "deg)";
    return L.divIcon({
      className: "basemap-label basemap-label-" + p.kind + " basemap-rank-" + p.rank,
      html: span,
      iconSize: null,
    });
  }

  function addVector(map, config) {
    var container = map.getContainer();
    container.classList.add("basemap-vector");
    container.dataset.basemap = "vector";
    // Under everything a page draws (overlays 400), over nothing: there are no tiles. Labels over the grid
    // fills (so names stay legible on a coloured map) but under markers and popups.
    var pane = map.createPane("basemap");
    pane.style.zIndex = 250;
    var labelPane = map.createPane("basemapLabels");
    labelPane.style.zIndex = 450;
    labelPane.style.pointerEvents = "none";
    // SVG even where the page prefers canvas: light, and its paths carry the classes the styles and tests use.
    var renderer = L.svg({ pane: "basemap", padding: 0.5 });
    var common = { pane: "basemap", renderer: renderer, interactive: false };
    // Drawn in this order: roads over water, each road over its grey casing.
    var groups = {};
    ["waterAreas", "waterLines", "boundaries", "casings", "roads"].forEach(function (name) {
      var options = L.extend({ style: function (f) { return styleOf(f, name); } }, common);
      groups[name] = L.geoJSON(null, options).addTo(map);
    });
    var labels = L.layerGroup().addTo(map);
    var features = [];
    var loaded = null;
    var asked = 0;
    var pending = null;

    function isArea(f) { return f.geometry.type === "Polygon" || f.geometry.type === "MultiPolygon"; }

    function styleOf(f, part) {
      var p = f.properties;
      var k = widthFactor(map.getZoom());
      if (part === "waterAreas") return L.extend({ className: "basemap-water" }, STYLE.waterArea);
      if (part === "waterLines") {
        return { className: "basemap-water", color: WATER, weight: STYLE.waterWidth[p.rank] * k, lineCap: "round", lineJoin: "round" };
      }
      if (part === "boundaries") return L.extend({ className: "basemap-boundary", fill: false }, STYLE.boundary[p.rank] || STYLE.boundary[3]);
      var width = STYLE.roadWidth[p.rank] * k;
      if (part === "casings") return { className: "basemap-road-casing", color: STYLE.casing, weight: width + 2, lineCap: "round" };
      return { className: "basemap-road", color: STYLE.roadFill[p.rank], weight: width, lineCap: "round", lineJoin: "round" };
    }

    function partsOf(f) {
      var kind = f.properties.kind;
      if (kind === "water") return [isArea(f) ? "waterAreas" : "waterLines"];
      if (kind === "boundary") return ["boundaries"];
      return ["casings", "roads"];
    }

    function labelShown(p, zoom) {
      var from = (config.labelZoom[p.kind] || {})[String(p.rank)];
      if (from === undefined || !p.name || zoom < from) return false;
      // Township names make way for village names once those show.
      return !(p.kind === "boundary" && p.rank <= 2 && zoom >= config.townshipLabelsUntil);
    }

    function restyle() {
      Object.keys(groups).forEach(function (name) {
        groups[name].eachLayer(function (layer) { layer.setStyle(styleOf(layer.feature, name)); });
      });
      var zoom = map.getZoom();
      labels.clearLayers();
      features.forEach(function (f) {
        var p = f.properties;
        if (!labelShown(p, zoom)) return;
        L.marker([p.label[1], p.label[0]], { icon: labelIcon(p), pane: "basemapLabels", interactive: false, keyboard: false })
          .addTo(labels);
      });
    }

    function draw(data) {
      features = data.features;
      Object.keys(groups).forEach(function (name) { groups[name].clearLayers(); });
      features.forEach(function (f) {
        partsOf(f).forEach(function (name) { groups[name].addData(f); });
      });
      restyle();
      container.dataset.basemapFeatures = String(features.length);
    }

    function snap(value, up) {
      return (up ? Math.ceil(value / STEP) : Math.floor(value / STEP)) * STEP;
    }

    function refresh() {
      var view = map.getBounds();
      if (loaded && loaded.contains(view)) return;
      var wide = view.pad(0.5);
      // The margin shrinks where the view is already wide; a view wider than the server serves gets nothing.
      var c = view.getCenter();
      var halfLng = Math.min(wide.getEast() - c.lng, MAX_SPAN / 2 - STEP);
      var halfLat = Math.min(wide.getNorth() - c.lat, MAX_SPAN / 2 - STEP);
      var box = [snap(c.lng - halfLng), snap(c.lat - halfLat), snap(c.lng + halfLng, true), snap(c.lat + halfLat, true)];
      if (!L.latLngBounds([box[1], box[0]], [box[3], box[2]]).contains(view)) return;  // zoomed out too far for roads
      var query = box.map(function (v) { return v.toFixed(2); }).join(",");
      if (query === pending) return;  // the same box is on its way (a map's first view and first move)
      pending = query;
      var mine = ++asked;
      container.dataset.basemapLoading = "1";  // until the answer to the latest view is drawn
      fetch(config.featuresUrl + "?bbox=" + query, {
        credentials: "same-origin",
        headers: { Accept: "application/geo+json" },
      })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (mine !== asked) return;  // a later view asked since
          delete container.dataset.basemapLoading;
          if (!data) return;
          loaded = L.latLngBounds([box[1], box[0]], [box[3], box[2]]);
          draw(data);
        })
        .catch(function () {
          if (mine === asked) delete container.dataset.basemapLoading;  // offline: the page's own layers still draw
        });
    }

    map.on("zoomend", restyle);
    map.on("moveend", refresh);
    map.whenReady(refresh);
    return { mode: "vector", groups: groups, labels: labels };
  }

  function add(map) {
    var config = readConfig();
    return config.tiles && config.tiles.length ? addTiles(map, config.tiles) : addVector(map, config);
  }

  window.GrassrootsBasemap = { add: add };
})();
