// The findings dashboard's chart: findings per month (of the class they concern), stacked by kind.
(function () {
  var el = document.getElementById("findings-chart");
  var src = document.getElementById("findings-chart-data");
  if (!el || !src || typeof echarts === "undefined") { return; }
  var data = JSON.parse(src.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    animation: false,
    // richText: the tooltip is drawn on the canvas; the HTML one writes style="" attributes,
    // which the Content-Security-Policy refuses.
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 40, right: 20, bottom: 40, top: 48 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", minInterval: 1 },
    series: data.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "findings", barMaxWidth: 60, data: s.data };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
