(function () {
  "use strict";
  function read(id) { return JSON.parse(document.getElementById(id).textContent); }
  function $(id) { return document.getElementById(id); }
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  var nodeItems = read("kh-nodes"), edgeItems = read("kh-edges");
  var articles = read("kh-articles"), meta = read("kh-meta"), options = read("kh-options");
  var byId = {};
  nodeItems.forEach(function (node) { byId[node.id] = node; });
  var edgeById = {};
  edgeItems.forEach(function (edge) { edgeById[edge.id] = edge; });
  var linked = {};
  edgeItems.forEach(function (edge) { linked[edge.from] = linked[edge.to] = true; });
  var ARABIC = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;
  function isolate(text) { return ARABIC.test(text) ? "\u2067" + text + "\u2069" : text; }
  function shortName(id) { return id.slice(id.lastIndexOf("/") + 1); }

  // -- filter state: the form, and the URL fragment that mirrors it ----------------------
  var state;
  function defaults() {
    return { relations: null, classes: null, denied: true, from: "", to: "",
             min: meta.defaultMin, lang: "ar" };
  }
  function fromHash() {
    var s = defaults();
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    function list(name) { return new Set(params.get(name).split(",").filter(Boolean)); }
    if (params.has("relation")) { s.relations = list("relation"); }
    if (params.has("class")) { s.classes = list("class"); }
    if (params.get("denied") === "0") { s.denied = false; }
    if (/^\d{4}-\d{2}-\d{2}$/.test(params.get("from") || "")) { s.from = params.get("from"); }
    if (/^\d{4}-\d{2}-\d{2}$/.test(params.get("to") || "")) { s.to = params.get("to"); }
    if (parseInt(params.get("min"), 10) >= 1) { s.min = parseInt(params.get("min"), 10); }
    if (["ar", "en", "both"].indexOf(params.get("lang")) >= 0) { s.lang = params.get("lang"); }
    s.show = params.get("show");
    return s;
  }
  function toHash(s) {
    var parts = [];
    function list(set) { return encodeURIComponent(Array.from(set).join(",")); }
    if (s.relations) { parts.push("relation=" + list(s.relations)); }
    if (s.classes) { parts.push("class=" + list(s.classes)); }
    if (!s.denied) { parts.push("denied=0"); }
    if (s.from) { parts.push("from=" + s.from); }
    if (s.to) { parts.push("to=" + s.to); }
    if (s.min !== meta.defaultMin) { parts.push("min=" + s.min); }
    if (s.lang !== "ar") { parts.push("lang=" + s.lang); }
    if (s.show) { parts.push("show=" + encodeURIComponent(s.show)); }
    return parts.join("&");
  }
  function fromForm() {
    var s = defaults();
    var relations = all(".kh-relation"), classes = all(".kh-class");
    var onRelations = relations.filter((box) => box.checked);
    var onClasses = classes.filter((box) => box.checked);
    if (onRelations.length < relations.length) {
      s.relations = new Set(onRelations.map((box) => box.value));
    }
    if (onClasses.length < classes.length) {
      s.classes = new Set(onClasses.map((box) => box.value));
    }
    s.denied = $("kh-denied").checked;
    s.from = $("kh-from").value;
    s.to = $("kh-to").value;
    s.min = Math.max(1, parseInt($("kh-min").value, 10) || 1);
    s.lang = $("kh-lang").value;
    s.show = state ? state.show : null;
    return s;
  }
  function toForm(s) {
    all(".kh-relation").forEach((box) => {
      box.checked = !s.relations || s.relations.has(box.value);
    });
    all(".kh-class").forEach((box) => { box.checked = !s.classes || s.classes.has(box.value); });
    all(".kh-family").forEach(function (box) {
      var members = all('.kh-relation[data-family="' + box.value + '"]');
      var on = members.filter(function (member) { return member.checked; }).length;
      box.checked = on === members.length;
      box.indeterminate = on > 0 && on < members.length;
    });
    $("kh-denied").checked = s.denied;
    $("kh-from").value = s.from;
    $("kh-to").value = s.to;
    $("kh-min").value = s.min;
    $("kh-lang").value = s.lang;
  }

  // -- what is visible ---------------------------------------------------------------------
  var visibleNodes = new Set(), visibleEdges = new Set();
  function articlesInRange(edge) {
    // Distinct articles behind the edge within the date range; a statement with no article
    // counts on its own, as in Python. Undated evidence is out once a date bound is set.
    var seen = new Set();
    edge.ev.forEach(function (ev, i) {
      var source = ev[1] === null ? null : articles[ev[1]];
      var date = source && source[2] ? source[2].slice(0, 10) : "";
      if (state.from || state.to) {
        if (!date || (state.from && date < state.from) || (state.to && date > state.to)) { return; }
      }
      seen.add(ev[1] === null ? "statement " + i : ev[1]);
    });
    return edge.ev.length ? seen.size : (state.from || state.to ? 0 : edge.count);
  }
  function classShown(id) { return !state.classes || state.classes.has(byId[id].type); }
  function compute() {
    visibleNodes.clear();
    visibleEdges.clear();
    var reached = {};
    var hidden = { relation: 0, denied: 0, class: 0, dates: 0, min: 0 };
    edgeItems.forEach(function (edge) {
      if (state.relations && !state.relations.has(edge.relation)) { hidden.relation++; return; }
      if (!state.denied && edge.negated) { hidden.denied++; return; }
      if (!classShown(edge.from) || !classShown(edge.to)) { hidden.class++; return; }
      if (state.min > 1 || state.from || state.to) {
        var n = articlesInRange(edge);
        if (n === 0 && (state.from || state.to)) { hidden.dates++; return; }
        if (n < state.min) { hidden.min++; return; }
      }
      visibleEdges.add(edge.id);
      reached[edge.from] = reached[edge.to] = true;
    });
    var edgeFilter = state.relations || !state.denied || state.min > 1 || state.from || state.to;
    nodeItems.forEach(function (node) {
      if (!classShown(node.id)) { return; }
      // An entity stays when one of its relations does; one that had none in the page
      // (its partners were pruned) shows while no relation filter is on.
      if (reached[node.id] || node.id === meta.focus || (!linked[node.id] && !edgeFilter)) {
        visibleNodes.add(node.id);
      }
    });
    var counter = $("kh-visible");
    counter.textContent = "Showing " + visibleNodes.size + " of " + nodeItems.length +
      " entities and " + visibleEdges.size + " of " + edgeItems.length + " relations.";
    counter.dataset.nodes = visibleNodes.size;
    counter.dataset.edges = visibleEdges.size;
    showHidden(hidden);
  }
  // The legend of what is hidden: by which filter, and what was pruned before the page.
  function showHidden(hidden) {
    var box = $("kh-hidden");
    box.textContent = "";
    function item(key, n, text) {
      if (!n) { return; }
      var li = document.createElement("li");
      li.dataset.hidden = key;
      li.dataset.count = n;
      li.textContent = text;
      box.appendChild(li);
    }
    item("min", hidden.min, hidden.min + " relations backed by fewer than " + state.min +
      " articles" + (state.min === meta.defaultMin && meta.defaultMin > 1 ? " (the default here)" : ""));
    item("relation", hidden.relation, hidden.relation + " relations of unticked kinds");
    item("denied", hidden.denied, hidden.denied + " denied relations");
    item("class", hidden.class, hidden.class + " relations with an entity of an unticked class");
    item("dates", hidden.dates, hidden.dates + " relations with no article in the date range");
    var alone = nodeItems.length - visibleNodes.size;
    item("entities", alone, alone + " entities not shown: no relation left, or an unticked class");
    if (meta.pruned) { item("pruned", meta.pruned, meta.pruned + " entities not in the page (the most central were kept; see above)"); }
    item("labels", nodeItems.length > meta.labels ? 1 : 0, "Names: the " + meta.labels +
      " most central entities in view are always named; zoom in to see every name");
    if (!box.firstChild) { item("nothing", 1, "nothing: everything in the page is shown"); }
  }
  function labelOf(node) {
    var ar = node.label_ar ? isolate(node.label_ar) : null, en = node.label_en;
    if (state.lang === "en") { return en || ar || shortName(node.id); }
    if (state.lang === "both") {
      return [ar, en].filter(Boolean).join("\n") || shortName(node.id);
    }
    return ar || en || shortName(node.id);
  }

  // -- tooltips and details, built from text nodes only -------------------------------------
  function nameOf(id) {
    var node = byId[id];
    var names = [node.label_ar, node.label_en].filter(Boolean);
    return names.length ? names.join(" / ") : shortName(id);
  }
  function row(box, text, cls) {
    var div = document.createElement("div");
    div.dir = "auto";
    if (cls) { div.className = cls; }
    div.textContent = text;
    box.appendChild(div);
  }
  function fillNode(box, node) {
    if (node.label_ar) { row(box, node.label_ar, "head"); }
    if (node.label_en) { row(box, node.label_en, node.label_ar ? "" : "head"); }
    row(box, node.type);
    row(box, node.id, "source");
    row(box, (meta.sizeBy === "pagerank" ? "PageRank " : "degree ") + node.score.toFixed(3) +
      " · " + node.links + (node.links === 1 ? " relation" : " relations"), "source");
  }
  function fillEdge(box, edge) {
    var articlesText = edge.count + (edge.count === 1 ? " article" : " articles");
    var head = [edge.relation, edge.family, articlesText];
    row(box, (edge.negated ? "¬ " : "") + head.filter(Boolean).join(" · "), "head");
    row(box, "from: " + nameOf(edge.from));
    row(box, "to: " + nameOf(edge.to));
    if (edge.negated) { row(box, "denied: the text says this did not happen"); }
    edge.ev.forEach(function (ev) {
      row(box, ev[0] || "(no sentence)", "sentence");
      var source = ev[1] === null ? [null, null, null, null, null] : articles[ev[1]];
      var parts = [source[1], source[2], source[3], source[0], source[4]];
      if (ev[2] !== null) { parts.push("confidence " + ev[2].toFixed(2)); }
      row(box, parts.filter(Boolean).join(" · "), "source");
    });
  }
  function fill(box, id) {
    box.textContent = "";
    if (byId[id]) { fillNode(box, byId[id]); }
    else if (edgeById[id]) { fillEdge(box, edgeById[id]); }
    return box;
  }
  var tip = $("kh-tip");
  function showTip(id, pointer) {
    fill(tip, id);
    row(tip, "click to keep this in the side panel", "hint");
    tip.hidden = false;
    var rect = $("network").getBoundingClientRect();
    var x = rect.left + pointer.x + 14, y = rect.top + pointer.y + 14;
    tip.style.left = Math.max(0, Math.min(x, window.innerWidth - tip.offsetWidth - 4)) + "px";
    tip.style.top = Math.max(0, Math.min(y, window.innerHeight - tip.offsetHeight - 4)) + "px";
  }
  function hideTip() { tip.hidden = true; }
  function showDetails(id) {
    state.show = id && (byId[id] || edgeById[id]) ? id : null;
    var box = $("kh-details");
    if (state.show) { fill(box, state.show); } else { box.textContent = ""; }
  }

  // -- the network ---------------------------------------------------------------------------
  state = fromHash();
  nodeItems.forEach(function (node) { node.label = labelOf(node); });
  compute();
  var nodes = new vis.DataSet(nodeItems), edges = new vis.DataSet(edgeItems);
  var nodeView = new vis.DataView(nodes, { filter: (node) => visibleNodes.has(node.id) });
  var edgeView = new vis.DataView(edges, { filter: (edge) => visibleEdges.has(edge.id) });
  var network = new vis.Network($("network"), { nodes: nodeView, edges: edgeView }, options);
  toForm(state);
  showDetails(state.show);

  function apply(next) {
    var langChanged = next.lang !== state.lang;
    state = next;
    compute();
    nodeView.refresh();
    edgeView.refresh();
    if (langChanged) {
      nodes.update(nodeItems.map((node) => ({ id: node.id, label: labelOf(node) })));
    }
    toForm(state);
    var hash = toHash(state);
    if (location.hash.replace(/^#/, "") !== hash) {
      try {
        history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
      } catch (err) {
        location.hash = hash;
      }
    }
  }
  function onFormChange() { apply(fromForm()); }
  all("#kh-panel input, #kh-panel select").forEach(function (input) {
    if (!input.classList.contains("kh-family")) { input.addEventListener("change", onFormChange); }
  });
  all(".kh-family").forEach(function (box) {
    box.addEventListener("change", function () {
      all('.kh-relation[data-family="' + box.value + '"]').forEach((member) => {
        member.checked = box.checked;
      });
      onFormChange();
    });
  });
  $("kh-reset").addEventListener("click", function () {
    var s = defaults();
    s.min = 1;
    s.lang = state.lang;
    apply(s);
  });
  window.addEventListener("hashchange", function () {
    if (location.hash.replace(/^#/, "") !== toHash(state)) {
      var s = fromHash();
      apply(s);
      showDetails(s.show);
    }
  });

  network.on("hoverNode", function (params) { showTip(params.node, params.pointer.DOM); });
  network.on("hoverEdge", function (params) { showTip(params.edge, params.pointer.DOM); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  network.on("click", function (params) {
    hideTip();
    showDetails(params.nodes[0] || params.edges[0] || null);
    apply(state);
  });
  // Names of the most central entities at every zoom: vis-network stops drawing a label
  // once it is smaller than its drawThreshold on screen, which leaves a zoomed-out big
  // graph nameless. Below that scale, the page writes the names of the meta.labels most
  // central visible entities itself, at a fixed size on screen, skipping any that would
  // overlap a name already written.
  var ranked = nodeItems.slice().sort(function (a, b) { return b.score - a.score; });
  var fontSize = options.nodes.font.size, threshold = options.nodes.scaling.label.drawThreshold;
  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale();
    if (fontSize * scale >= threshold) { return; }  // vis-network draws every label itself
    var size = 13 / scale, boxes = [], drawn = 0;
    ctx.save();
    ctx.font = "bold " + size + "px " + options.nodes.font.face;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 4 / scale;
    ctx.strokeStyle = "#ffffff";
    ctx.fillStyle = "#111111";
    for (var i = 0; i < ranked.length && drawn < meta.labels; i++) {
      var node = ranked[i];
      if (!visibleNodes.has(node.id)) { continue; }
      var at = network.getPosition(node.id), text = node.label || "";
      var width = ctx.measureText(text).width, top = at.y + node.size + 2 / scale;
      var box = [at.x - width / 2, top, at.x + width / 2, top + size * 1.2];
      if (boxes.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) {
        continue;
      }
      boxes.push(box);
      ctx.strokeText(text, at.x, top);
      ctx.fillText(text, at.x, top);
      drawn++;
    }
    ctx.restore();
    document.documentElement.dataset.khNamed = drawn;
  });
  if (meta.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
    });
  }
  network.once("afterDrawing", function () {
    document.documentElement.dataset.khReady = "1";
    window.khabar.readyAt = performance.now();
  });
  // For the browser console, scripts and benchmarks.
  window.khabar = { network: network, nodes: nodes, edges: edges, apply: apply,
                    state: function () { return state; }, defaults: defaults };
})();
