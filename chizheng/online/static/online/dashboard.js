// The platforms' void share over time (per cent), one line per platform.
(function () {
  var el = document.getElementById("online-chart");
  var src = document.getElementById("online-chart-data");
  if (!el || !src || typeof echarts === "undefined") { return; }
  var data = JSON.parse(src.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    animation: false,
    // richText: the tooltip is drawn on the canvas; the HTML one writes style="" attributes,
    // which the Content-Security-Policy refuses.
    tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
    legend: { top: 0 },
    grid: { left: 40, right: 20, bottom: 40, top: 40 },
    xAxis: { type: "category", data: data.periods },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: data.series.map(function (s) {
      // one period draws no line: show bars then
      var type = data.periods.length > 1 ? "line" : "bar";
      return { name: s.name, type: type, showSymbol: true, data: s.data };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
