/* The overview's 30-day trend (ECharts): reported per day as bars, closed per day as a line.
 * The chart element survives the HTMX refresh (hx-preserve); the data arrives with each refreshed fragment
 * (#trend-data) and is redrawn after the swap. Series names come from the page (translated there). */
(function () {
  "use strict";

  var el = document.getElementById("trend-chart");
  if (!el || typeof echarts === "undefined") return;
  var chart = echarts.init(el, null, { renderer: "canvas" });

  function draw() {
    var source = document.getElementById("trend-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var style = getComputedStyle(el);
    var ink = style.color;
    var grid = style.getPropertyValue("--chart-grid").trim() || "#e3e7ec";
    var size = parseFloat(style.fontSize) || 13;
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: style.fontFamily, fontSize: size, color: ink },
      color: ["#3b82f6", "#16a34a"],
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, right: 0, textStyle: { color: ink, fontSize: size } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: {
        type: "category",
        data: data.days,
        axisLabel: { color: ink, fontSize: size * 0.9 },
        axisLine: { lineStyle: { color: grid } },
        axisTick: { show: false },
      },
      yAxis: {
        type: "value",
        minInterval: 1,
        axisLabel: { color: ink, fontSize: size * 0.9 },
        splitLine: { lineStyle: { color: grid } },
      },
      series: [
        { name: data.labels.reported, type: "bar", data: data.reported, barMaxWidth: 18 },
        { name: data.labels.closed, type: "line", data: data.closed, symbolSize: 5, lineStyle: { width: 2.5 } },
      ],
    });
  }

  draw();
  document.body.addEventListener("htmx:afterSettle", draw);
  window.addEventListener("resize", function () { chart.resize(); });
})();
