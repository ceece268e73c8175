/* Assessment charts (ECharts) and the hot-spot map (Leaflet, no tiles: grid polygons on a plain background).
   Data comes from a json_script block: #dashboard-charts or #report-charts. */
(function () {
  "use strict";
  var COLORS = ["#9f1239", "#1d4ed8", "#0f766e", "#b45309", "#6d28d9", "#475569"];
  var FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var charts = [];

  function data() {
    var node = document.getElementById("dashboard-charts") || document.getElementById("report-charts");
    return node ? JSON.parse(node.textContent) : null;
  }

  function make(el, option) {
    if (!window.echarts || !el) return;
    var renderer = document.body.classList.contains("print") || el.dataset.svg ? "svg" : "canvas";
    var chart = window.echarts.init(el, null, { renderer: renderer });
    option.textStyle = { fontFamily: FONT };
    option.color = option.color || COLORS;
    option.animation = false;
    chart.setOption(option);
    charts.push(chart);
  }

  var builders = {
    trend: function (d) {
      return {
        tooltip: { trigger: "axis" },
        legend: { data: ["上报", "结案", "按期结案率"], top: 0 },
        grid: { left: 44, right: 48, top: 32, bottom: 28 },
        xAxis: { type: "category", data: d.labels, axisTick: { alignWithLabel: true } },
        yAxis: [
          { type: "value", name: "件", minInterval: 1 },
          { type: "value", name: "%", min: 0, max: 100, splitLine: { show: false } },
        ],
        series: [
          { name: "上报", type: "bar", data: d.reported, barMaxWidth: 18 },
          { name: "结案", type: "bar", data: d.closed, barMaxWidth: 18 },
          { name: "按期结案率", type: "line", yAxisIndex: 1, data: d.on_time, connectNulls: true, symbolSize: 5, color: "#0f766e" },
        ],
      };
    },
    platforms: function (d) {
      return {
        tooltip: { trigger: "item", formatter: "{b}：{c} 件（{d}%）" },
        legend: { bottom: 0, icon: "circle" },
        series: [
          {
            type: "pie",
            radius: ["38%", "60%"],
            center: ["50%", "44%"],
            minShowLabelAngle: 2,
            label: { formatter: "{d}%", fontSize: 12, overflow: "none" },
            labelLine: { length: 8, length2: 8 },
            labelLayout: { hideOverlap: false },
            data: d,
          },
        ],
      };
    },
    levels: function (d) {
      return {
        tooltip: { trigger: "axis" },
        grid: { left: 36, right: 12, top: 12, bottom: 26 },
        xAxis: { type: "category", data: d.labels, axisLabel: { fontSize: 11 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: d.values, barMaxWidth: 32, itemStyle: { color: "#1d4ed8" } }],
      };
    },
    overdue: function (d) {
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: d.labels, axisLabel: { width: 150, overflow: "truncate", fontSize: 11 } },
        series: [{ type: "bar", data: d.values, barMaxWidth: 16, itemStyle: { color: "#b91c1c" }, label: { show: true, position: "right" } }],
      };
    },
  };

  function drawCharts(all) {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var name = el.dataset.chart;
      if (all && all[name] && builders[name]) make(el, builders[name](all[name]));
    });
  }

  var SCALE = ["#fbd5dc", "#f59fb0", "#e05b78", "#b91c3f", "#7f0d2b"];
  var NONE = "#f1f4f7";

  /* Class breaks at the quintiles of the non-zero counts: a few hot grids must not wash the rest out. */
  function breaks(features) {
    var counts = features.map(function (f) { return f.properties.count; }).filter(function (n) { return n > 0; });
    counts.sort(function (a, b) { return a - b; });
    if (!counts.length) return [];
    var out = [];
    for (var i = 1; i <= SCALE.length; i++) {
      var value = counts[Math.min(counts.length - 1, Math.ceil((i / SCALE.length) * counts.length) - 1)];
      if (!out.length || value > out[out.length - 1]) out.push(value);
    }
    return out;
  }

  function colour(count, limits) {
    if (!count) return NONE;
    for (var i = 0; i < limits.length; i++) if (count <= limits[i]) return SCALE[Math.min(i + SCALE.length - limits.length, SCALE.length - 1)];
    return SCALE[SCALE.length - 1];
  }

  function drawMap(el) {
    if (!window.L) return;
    var map = L.map(el, { zoomControl: true, attributionControl: false, preferCanvas: true });
    if (window.GrassrootsBasemap) GrassrootsBasemap.add(map);
    var layer = null;
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      this._div = L.DomUtil.create("div", "map-legend");
      return this._div;
    };
    legend.addTo(map);
    map.setView([30.9, 120.9], 11);

    function load() {
      var select = document.querySelector("[data-hotspot-type]");
      var url = el.dataset.hotspots + (select && select.value ? "&type=" + encodeURIComponent(select.value) : "");
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (geo) {
          if (layer) map.removeLayer(layer);
          var limits = breaks(geo.features);
          layer = L.geoJSON(geo, {
            style: function (f) {
              // Grids without events nearly clear, so the base map reads through them.
              var fill = colour(f.properties.count, limits);
              return { color: "#8795a1", weight: 0.6, fillOpacity: fill === NONE ? 0.15 : 0.75, fillColor: fill };
            },
            onEachFeature: function (f, l) {
              l.bindTooltip(f.properties.village + " " + f.properties.name + "：" + f.properties.count + " 件", { sticky: true });
            },
          }).addTo(map);
          if (geo.features.length) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
          var rows = ['<i style="background:' + NONE + '"></i>0'];
          var low = 1;
          limits.forEach(function (high, i) {
            var fill = SCALE[Math.min(i + SCALE.length - limits.length, SCALE.length - 1)];
            rows.push('<i style="background:' + fill + '"></i>' + (low === high ? high : low + "–" + high));
            low = high + 1;
          });
          var note = geo.unplaced
            ? '<div class="hot-unplaced" data-testid="hotspots-unplaced">另有 ' + geo.unplaced + " 件未落入网格（如未给出位置的来电），不在图上</div>"
            : "";
          legend._div.innerHTML = "<strong>图上事件（合计 " + geo.total + "）</strong><br>" + rows.join("<br>") + note;
        });
    }
    load();
    var select = document.querySelector("[data-hotspot-type]");
    if (select) select.addEventListener("change", load);
  }

  function start() {
    drawCharts(data());
    document.querySelectorAll("[data-hotspots]").forEach(drawMap);
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
