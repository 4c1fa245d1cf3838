/* peacetalks explorer: draws the charts (plotly.js, served locally) and steps through a
   simulated negotiation offer by offer. No dependencies beyond htmx and plotly. */
(function () {
  "use strict";

  function drawCharts(root) {
    if (typeof Plotly === "undefined") { return; }
    root.querySelectorAll("div.chart[data-figure]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-figure"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      var layout = Object.assign({}, figure.layout || {}, { autosize: true });
      delete layout.width;
      Plotly.react(element, figure.data || [], layout, { responsive: true, displaylogo: false });
    });
  }

  function setupReplay(root) {
    root.querySelectorAll("[data-replay]").forEach(function (box) {
      if (box.dataset.ready) { return; }
      box.dataset.ready = "1";
      var rows = box.querySelectorAll("tr[data-offer]");
      var slider = box.querySelector("[data-step=slider]");
      var label = box.querySelector("[data-step=label]");
      var current = 0;
      function show(k) {
        current = Math.max(0, Math.min(rows.length - 1, k));
        rows.forEach(function (row, i) {
          row.hidden = i > current;
          row.classList.toggle("current", i === current);
        });
        slider.value = String(current);
        label.textContent = "offer " + (current + 1) + " of " + rows.length;
      }
      box.querySelector("[data-step=first]").addEventListener("click", function () { show(0); });
      box.querySelector("[data-step=prev]").addEventListener("click", function () { show(current - 1); });
      box.querySelector("[data-step=next]").addEventListener("click", function () { show(current + 1); });
      box.querySelector("[data-step=last]").addEventListener("click", function () { show(rows.length - 1); });
      slider.addEventListener("input", function () { show(parseInt(slider.value, 10)); });
      show(0);
    });
  }

  function refresh(root) { drawCharts(root); setupReplay(root); }

  document.addEventListener("DOMContentLoaded", function () { refresh(document); });
  /* after the settle step: htmx restores the swapped elements' attributes until then */
  document.addEventListener("htmx:afterSettle", function (event) { refresh(event.detail.target || document); });
})();
