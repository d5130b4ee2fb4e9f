// narrascope: draws the line charts from the JSON in <script type="application/json"> blocks.
// Everything is built with createElementNS and textContent: no article string becomes markup.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var COLOURS = ["#1c7ed6", "#e8590c", "#2b8a3e", "#c2255c", "#7048e8", "#0c8599", "#e67700", "#495057"];
  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) { node.setAttribute(k, String(attrs[k])); }
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function text(parent, x, y, value, attrs) {
    var t = el("text", Object.assign({x: x, y: y}, attrs || {}), parent);
    t.textContent = value;
    return t;
  }
  function lineChart(box, data) {
    var xs = data.x || [], series = data.series || [];
    if (!xs.length || !series.length) { box.textContent = "(no data yet)"; return; }
    var W = 720, H = 280, L = 44, R = 12, T = 12, B = 48;
    var max = 0;
    series.forEach(function (s) { s.values.forEach(function (v) { if (v > max) { max = v; } }); });
    max = max || 1;
    var svg = el("svg", {viewBox: "0 0 " + W + " " + H, "class": "chart line-chart", role: "img",
                         "aria-label": box.getAttribute("data-title") || "chart"});
    var px = function (i) { return L + (xs.length === 1 ? (W - L - R) / 2 : i * (W - L - R) / (xs.length - 1)); };
    var py = function (v) { return T + (H - T - B) * (1 - v / max); };
    var axis = el("g", {"class": "axis"}, svg);
    el("line", {x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#868e96"}, axis);
    el("line", {x1: L, y1: T, x2: L, y2: H - B, stroke: "#868e96"}, axis);
    [0, max / 2, max].forEach(function (v) {
      text(axis, L - 6, py(v) + 4, String(Math.round(v * 10) / 10), {"text-anchor": "end", "font-size": 11});
    });
    var step = Math.max(1, Math.ceil(xs.length / 8));
    xs.forEach(function (x, i) {
      if (i % step === 0 || i === xs.length - 1) {
        var anchor = xs.length > 1 && i === 0 ? "start" : (xs.length > 1 && i === xs.length - 1 ? "end" : "middle");
        text(axis, px(i), H - B + 16, x, {"text-anchor": anchor, "font-size": 11});
      }
    });
    series.forEach(function (s, j) {
      var colour = COLOURS[j % COLOURS.length];
      var g = el("g", {"class": "series", "data-series": s.name}, svg);
      var d = s.values.map(function (v, i) { return (i ? "L" : "M") + px(i).toFixed(1) + " " + py(v).toFixed(1); }).join(" ");
      el("path", {d: d, fill: "none", stroke: colour, "stroke-width": 2}, g);
      s.values.forEach(function (v, i) {
        var c = el("circle", {cx: px(i).toFixed(1), cy: py(v).toFixed(1), r: 3, fill: colour}, g);
        el("title", {}, c).textContent = s.name + " · " + xs[i] + ": " + v;
      });
    });
    box.appendChild(svg);
    var legend = document.createElement("ul");
    legend.className = "legend";
    series.forEach(function (s, j) {
      var li = document.createElement("li");
      var sw = document.createElement("span");
      sw.className = "key";
      sw.style.background = COLOURS[j % COLOURS.length];
      li.appendChild(sw);
      li.appendChild(document.createTextNode(s.name));
      legend.appendChild(li);
    });
    box.appendChild(legend);
  }
  document.querySelectorAll("[data-chart]").forEach(function (box) {
    var source = document.getElementById(box.getAttribute("data-chart"));
    if (!source) { return; }
    try { lineChart(box, JSON.parse(source.textContent)); } catch (e) { box.textContent = "(chart failed: " + e + ")"; }
  });
})();
