// Draws each report chart (Chart.js, vendored) from the JSON beside its canvas: <canvas data-chart="ID"> reads
// <script id="ID" type="application/json">{type, labels, datasets, percent}</script>. The table beside each
// chart holds the same numbers, so the page reads fine without JavaScript.
(function () {
  "use strict";
  if (!window.Chart) { return; }
  var palette = ["#0b5cad", "#d97706", "#059669", "#7c3aed", "#dc2626", "#0e7490", "#4b5563"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var stacked = data.stacked && data.type === "bar";
    var datasets = data.datasets.map(function (set, i) {
      var colour = palette[i % palette.length];
      return {
        label: set.label + (data.percent ? " (%)" : ""),
        data: set.data,
        backgroundColor: colour,
        borderColor: colour,
        spanGaps: true,
        tension: 0.2
      };
    });
    new window.Chart(canvas, {
      type: data.type,
      data: {labels: data.labels, datasets: datasets},
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: {mode: "index", intersect: false},
        plugins: {legend: {display: datasets.length > 1}},
        scales: {
          x: {stacked: stacked},
          y: {stacked: stacked, beginAtZero: true, ticks: data.integer ? {precision: 0} : {}}
        }
      }
    });
  });
})();
