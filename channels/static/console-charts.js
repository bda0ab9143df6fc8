/* Charts of the staff console, drawn as inline SVG with DOM calls (no library, no external
 * resource, nothing the page's CSP forbids). Each chart is an image with an accessible name;
 * the numbers are also in a table next to it. */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";

  function node(name, attributes, text) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) {
      element.setAttribute(key, String(attributes[key]));
    });
    if (text !== undefined) {
      element.textContent = text;
    }
    return element;
  }

  function frame(figure, label, height) {
    var width = Math.max(300, Math.floor(figure.clientWidth || 640));
    var svg = node("svg", {
      role: "img",
      "aria-label": label,
      viewBox: "0 0 " + width + " " + height,
      width: width,
      height: height,
      focusable: "false",
    });
    svg.appendChild(node("title", {}, label));
    return { svg: svg, width: width };
  }

  function clip(text, max) {
    return text.length > max ? text.slice(0, max - 1) + "…" : text;
  }

  /* Stacked columns: one per entry of ``days`` ({label, values: {series: n}}), series drawn
   * in ``series`` order ([{key, name}]) with CSS classes "bar-<key>". */
  function stackedColumns(figure, label, days, series) {
    var height = 240;
    var left = 44;
    var bottom = 28;
    var top = 12;
    var f = frame(figure, label, height);
    var plotWidth = f.width - left - 8;
    var plotHeight = height - top - bottom;
    var totals = days.map(function (day) {
      return series.reduce(function (sum, s) {
        return sum + (day.values[s.key] || 0);
      }, 0);
    });
    var max = Math.max(1, Math.max.apply(null, totals));
    var step = plotWidth / Math.max(1, days.length);
    f.svg.appendChild(node("line", { x1: left, y1: top + plotHeight, x2: f.width - 8,
                                     y2: top + plotHeight, class: "axis" }));
    [0, Math.round(max / 2), max].forEach(function (value) {
      var y = top + plotHeight - (value / max) * plotHeight;
      f.svg.appendChild(node("text", { x: left - 6, y: y + 4, class: "tick", "text-anchor": "end" },
                             String(value)));
      f.svg.appendChild(node("line", { x1: left, y1: y, x2: f.width - 8, y2: y, class: "grid" }));
    });
    var every = Math.max(1, Math.ceil(days.length * 48 / plotWidth));
    days.forEach(function (day, i) {
      var x = left + i * step + step * 0.15;
      var y = top + plotHeight;
      series.forEach(function (s) {
        var value = day.values[s.key] || 0;
        if (!value) {
          return;
        }
        var h = (value / max) * plotHeight;
        y -= h;
        f.svg.appendChild(node("rect", { x: x, y: y, width: Math.max(1, step * 0.7), height: h,
                                         class: "bar-" + s.key }));
      });
      if ((days.length - 1 - i) % every === 0) { // counted from the last day: it is labelled
        var last = i === days.length - 1; // ends at the edge rather than past it
        f.svg.appendChild(node("text", { x: left + (last ? i + 1 : i + 0.5) * step, y: height - 8,
                                         class: "tick", "text-anchor": last ? "end" : "middle" },
                               day.label));
      }
    });
    figure.textContent = "";
    figure.appendChild(f.svg);
    var caption = document.createElement("figcaption");
    var legend = document.createElement("ul");
    legend.className = "legend";
    series.forEach(function (s) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch swatch-" + s.key;
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(s.name));
      legend.appendChild(item);
    });
    caption.appendChild(legend);
    figure.appendChild(caption);
  }

  /* Horizontal bars, one per item ({name, value}), the name above its bar and the value
   * after it. */
  function horizontalBars(figure, label, items, barClass) {
    var row = 40;
    var height = items.length * row + 8;
    var f = frame(figure, label, height);
    var max = Math.max(1, Math.max.apply(null, items.map(function (item) {
      return item.value;
    })));
    var room = f.width - 56;
    items.forEach(function (item, i) {
      var y = 4 + i * row;
      f.svg.appendChild(node("text", { x: 0, y: y + 13, class: "label" },
                             clip(item.name, Math.floor(f.width / 8))));
      var w = Math.max(2, (item.value / max) * room);
      f.svg.appendChild(node("rect", { x: 0, y: y + 18, width: w, height: 14, class: barClass }));
      f.svg.appendChild(node("text", { x: w + 6, y: y + 30, class: "tick" }, String(item.value)));
    });
    figure.textContent = "";
    figure.appendChild(f.svg);
  }

  window.TrolyCharts = { stackedColumns: stackedColumns, horizontalBars: horizontalBars };
})();
