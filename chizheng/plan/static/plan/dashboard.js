// The dashboard chart: share done per county for each 附件1 indicator, against the calendar share.
(function () {
  var el = document.getElementById("plan-chart");
  var src = document.getElementById("plan-chart-data");
  if (!el || !src || typeof echarts === "undefined") { return; }
  var data = JSON.parse(src.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    // richText: the tooltip is drawn on the canvas; the HTML one writes style="" attributes,
    // which the Content-Security-Policy refuses.
    tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return v + "%"; } },
    legend: { top: 0 },
    grid: { left: 40, right: 20, bottom: 40, top: 40 },
    xAxis: { type: "category", data: data.counties },
    yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    series: data.series.map(function (s, i) {
      var series = { name: s.name, type: "bar", data: s.data };
      if (i === 0) {
        series.markLine = { symbol: "none", label: { formatter: "时间进度 {c}%" },
          data: [{ yAxis: Math.round(data.expected * 10) / 10 }] };
      }
      return series;
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
