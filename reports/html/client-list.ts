/**
 * The page header, the filters and the example list. The list is virtualised (fixed row height,
 * only the rows in view exist in the DOM) so 10,000 examples scroll and filter as fast as 10.
 * (No backticks or dollar-brace in here: this is a String.raw template literal.)
 */
export const CLIENT_LIST = String.raw`
var ROW_H = 56;
var VERDICTS = ["regression", "fixed", "known_failure", "ok"];
var state = { verdicts: {}, graph: "", version: "", tag: "", terms: [], changedOnly: false, selected: -1 };
var view = [];
var haystacks = [];
var listEl, innerEl, statusEl, detailEl, chipEls = {}, changedBox = null, searchEl = null;

function verdictOf(e) { return e.verdict || "removed"; }

/** Built on the first search only: most visits never search, and 10,000 joins cost a frame. */
function haystack(i) {
  var cached = haystacks[i];
  if (cached !== undefined) return cached;
  var e = EXAMPLES[i];
  var parts = [e.id, e.answer || "", e.note || ""];
  for (var s = 0; s < e.scores.length; s++) parts.push(e.scores[s].name + ": " + e.scores[s].reason);
  if (e.error) parts.push(e.error.kind, e.error.message, e.error.hint || "");
  if (e.change) {
    if (e.change.answer.base) parts.push(e.change.answer.base);
    for (var c = 0; c < e.change.checks.length; c++) {
      var check = e.change.checks[c];
      if (check.base) parts.push(check.base.reason);
    }
  }
  return (haystacks[i] = parts.join("\n").toLowerCase());
}

function isChanged(e) { return !!e.change && e.change.status !== "unchanged"; }

function passes(i, ignoreVerdict) {
  var e = EXAMPLES[i];
  if (state.graph && e.graph !== state.graph) return false;
  if (state.version && String(e.version) !== state.version) return false;
  if (state.tag && e.tags.indexOf(state.tag) < 0) return false;
  if (state.changedOnly && !isChanged(e)) return false;
  if (!ignoreVerdict && hasVerdictFilter() && !state.verdicts[verdictOf(e)]) return false;
  if (state.terms.length > 0) {
    var hay = haystack(i);
    for (var t = 0; t < state.terms.length; t++) if (hay.indexOf(state.terms[t]) < 0) return false;
  }
  return true;
}

function hasVerdictFilter() {
  for (var k in state.verdicts) if (state.verdicts[k]) return true;
  return false;
}

function applyFilters() {
  var counts = {};
  view = [];
  for (var i = 0; i < EXAMPLES.length; i++) {
    if (!passes(i, true)) continue;
    var v = verdictOf(EXAMPLES[i]);
    counts[v] = (counts[v] || 0) + 1;
    if (!hasVerdictFilter() || state.verdicts[v]) view.push(i);
  }
  for (var key in chipEls) chipEls[key].querySelector(".n").textContent = fmtInt(counts[key] || 0);
  statusEl.textContent = view.length === EXAMPLES.length
    ? fmtInt(EXAMPLES.length) + " examples"
    : fmtInt(view.length) + " of " + fmtInt(EXAMPLES.length) + " examples shown";
  innerEl.style.height = view.length * ROW_H + "px";
  listEl.scrollTop = 0;
  paintRows();
}

function rowSubtitle(e) {
  if (e.verdict === null) return "only in the base" + (e.change && e.change.answer.base ? ": " + e.change.answer.base : "");
  if (e.verdict !== "ok") {
    if (e.note) return e.note;
    for (var s = 0; s < e.scores.length; s++) if (!e.scores[s].pass) return e.scores[s].name + ": " + e.scores[s].reason;
    if (e.error) return e.error.kind + ": " + e.error.message;
  }
  return e.answer === null ? "(no answer)" : e.answer;
}

function changeMarker(e) {
  if (!e.change) return null;
  var c = e.change;
  if (c.status === "added") return h("span", { class: "tag change", text: "new" });
  if (c.status === "removed" || c.status === "unchanged") return null;
  if (c.base_verdict !== c.head_verdict && c.base_verdict && c.head_verdict) {
    return h("span", { class: "row-flip" }, [verdictBadge(c.base_verdict), h("span", { class: "arrow", text: " → " }), verdictBadge(c.head_verdict)]);
  }
  return h("span", { class: "tag change", title: "changed: " + c.changed.join(", "), text: "changed" });
}

function rowEl(position) {
  var i = view[position];
  var e = EXAMPLES[i];
  var marker = changeMarker(e);
  var row = h("div", { class: "row" + (i === state.selected ? " sel" : ""), role: "option", "aria-selected": i === state.selected ? "true" : "false", "data-pos": position, "data-key": e.key }, [
    h("div", { class: "row-head" }, [
      // A verdict change shows both badges at the end of the row; one in front would repeat the head's.
      marker && marker.className === "row-flip" ? null : verdictBadge(verdictOf(e)),
      h("span", { class: "row-id", text: e.id }),
      h("span", { class: "row-ds", text: e.dataset }),
      h("span", { class: "row-end" }, [marker, e.duration_ms === null ? null : h("span", { class: "row-ds", text: fmtMs(e.duration_ms) })]),
    ]),
    h("div", { class: "row-sub", text: truncateText(rowSubtitle(e).replace(/\s+/g, " "), 220) }),
  ]);
  row.style.top = position * ROW_H + "px";
  return row;
}

function paintRows() {
  if (view.length === 0) {
    innerEl.replaceChildren(h("div", { class: "list-empty", text: "No example matches these filters." }));
    return;
  }
  var height = listEl.clientHeight || 800;
  var first = Math.max(0, Math.floor(listEl.scrollTop / ROW_H) - 6);
  var last = Math.min(view.length, Math.ceil((listEl.scrollTop + height) / ROW_H) + 6);
  var fragment = document.createDocumentFragment();
  for (var p = first; p < last; p++) fragment.append(rowEl(p));
  innerEl.replaceChildren(fragment);
}

var paintQueued = false;
function queuePaint() {
  if (paintQueued) return;
  paintQueued = true;
  requestAnimationFrame(function () { paintQueued = false; paintRows(); });
}

function select(i, reveal) {
  state.selected = i;
  var e = EXAMPLES[i];
  try { history.replaceState(null, "", "#" + encodeURIComponent(e.key)); } catch (err) { /* file: URLs may refuse; the selection still works */ }
  var position = view.indexOf(i);
  if (reveal && position >= 0) {
    var top = position * ROW_H;
    if (top < listEl.scrollTop) listEl.scrollTop = top;
    else if (top + ROW_H > listEl.scrollTop + listEl.clientHeight) listEl.scrollTop = top + ROW_H - listEl.clientHeight;
  }
  paintRows();
  detailEl.replaceChildren();
  add(detailEl, renderDetail(e));
  detailEl.scrollTop = 0;
}

function move(step) {
  if (view.length === 0) return;
  var position = view.indexOf(state.selected);
  var next = position < 0 ? 0 : Math.min(view.length - 1, Math.max(0, position + step));
  select(view[next], true);
}

function selectFromHash() {
  var key = "";
  try { key = decodeURIComponent(location.hash.slice(1)); } catch (err) { return; }
  if (!key) return;
  for (var i = 0; i < EXAMPLES.length; i++) if (EXAMPLES[i].key === key) { select(i, true); return; }
}

function renderHeader(top) {
  var m = META;
  var c = m.counts;
  var facts = [
    h("span", null, [h("b", { text: fmtInt(c.total) }), " examples"]),
    h("span", { text: fmtInt(c.regression) + " regression" + (c.regression === 1 ? "" : "s") + " · " + fmtInt(c.fixed) + " fixed · " + fmtInt(c.known_failure) + " known failure" + (c.known_failure === 1 ? "" : "s") + " · " + fmtInt(c.ok) + " ok" }),
    h("span", { text: fmtInt(m.usage.total_tokens) + " tokens (" + fmtInt(m.usage.input_tokens) + " in / " + fmtInt(m.usage.output_tokens) + " out, " + fmtInt(m.usage.llm_calls) + " LLM calls, " + (m.usage.recorded ? "recorded" : "measured") + ")" }),
    h("span", { text: "cost " + fmtUsd(m.cost_usd) }),
    h("span", { text: "wall " + fmtMs(m.duration_ms) }),
    h("span", { text: m.mode + " mode" + (m.strict ? ", --strict" : "") + (m.shard ? ", shard " + m.shard.index + "/" + m.shard.total : "") }),
    m.git.sha ? h("span", { class: "mono", text: "git " + m.git.sha.slice(0, 12) + (m.git.branch ? " (" + m.git.branch + ")" : "") }) : null,
    h("span", { text: "started " + m.started_at.replace("T", " ").replace(/\.\d+Z$/, "Z") }),
    m.langsmith_url ? h("span", null, ["LangSmith ", link("experiment", m.langsmith_url)]) : null,
    m.langsmith_error ? h("span", { title: m.langsmith_error, text: "LangSmith upload failed" }) : null,
  ];
  top.append(
    h("div", { class: "top-row" }, [
      h("h1", { text: "evalgate" }),
      h("span", { class: "gate " + (m.gate.passed ? "pass" : "fail"), text: m.gate.passed ? "gate passed" : "gate failed" }),
      h("span", { text: m.gate.reason }),
    ]),
    h("div", { class: "facts" }, facts),
  );
  if (m.compare) top.append(compareFacts(m.compare));
  document.title = "evalgate: " + (m.gate.passed ? "gate passed" : "gate failed") + " (" + c.total + " examples)";
}

function sideLabel(side) {
  return side.label + (side.sha ? " @ " + side.sha.slice(0, 10) : "");
}

function compareFacts(cmp) {
  var k = cmp.counts, b = cmp.totals.base, t = cmp.totals.head;
  return h("div", { class: "facts" }, [
    h("span", null, ["compared with base ", h("b", { class: "mono", text: sideLabel(cmp.base) }), " → head ", h("b", { class: "mono", text: sideLabel(cmp.head) })]),
    h("span", { text: k.changed + " changed · " + k.added + " added · " + k.removed + " removed · " + k.unchanged + " unchanged · " + k.verdict_changes + " verdict change" + (k.verdict_changes === 1 ? "" : "s") }),
    h("span", null, ["tokens " + fmtInt(b.tokens) + " → " + fmtInt(t.tokens), delta(b.tokens, t.tokens, fmtInt)]),
    h("span", null, ["steps " + fmtInt(b.steps) + " → " + fmtInt(t.steps), delta(b.steps, t.steps, fmtInt)]),
    h("span", null, ["cost " + fmtUsd(b.cost_usd) + " → " + fmtUsd(t.cost_usd), delta(b.cost_usd, t.cost_usd, fmtUsd)]),
  ]);
}

function distinct(pick) {
  var seen = {};
  for (var i = 0; i < EXAMPLES.length; i++) {
    var values = pick(EXAMPLES[i]);
    for (var j = 0; j < values.length; j++) seen[values[j]] = (seen[values[j]] || 0) + 1;
  }
  return Object.keys(seen).sort(function (a, b) { return a.localeCompare(b, "en", { numeric: true }); }).map(function (v) { return [v, seen[v]]; });
}

function selectBox(label, all, values, format, onChange) {
  var box = h("select", { "aria-label": label, onchange: function () { onChange(box.value); applyFilters(); } }, [h("option", { value: "", text: all })]);
  for (var i = 0; i < values.length; i++) box.append(h("option", { value: values[i][0], text: format(values[i][0]) + " (" + fmtInt(values[i][1]) + ")" }));
  return box;
}

function renderToolbar(bar) {
  var chips = h("div", { class: "chips", role: "group", "aria-label": "Verdict" });
  var kinds = VERDICTS.slice();
  for (var i = 0; i < EXAMPLES.length; i++) if (EXAMPLES[i].verdict === null) { kinds.push("removed"); break; }
  kinds.forEach(function (v) {
    var chip = h("button", { type: "button", class: "chip v-" + v, "aria-pressed": "false", "data-verdict": v, onclick: function () {
      state.verdicts[v] = !state.verdicts[v];
      chip.setAttribute("aria-pressed", state.verdicts[v] ? "true" : "false");
      applyFilters();
    } }, [VERDICT_WORD[v], h("span", { class: "n", text: "0" })]);
    chipEls[v] = chip;
    chips.append(chip);
  });
  var selects = [
    selectBox("Graph", "all graphs", distinct(function (e) { return [e.graph]; }), String, function (v) { state.graph = v; }),
    selectBox("Dataset version", "all versions", distinct(function (e) { return [String(e.version)]; }), function (v) { return "v" + v; }, function (v) { state.version = v; }),
    selectBox("Tag", "all tags", distinct(function (e) { return e.tags; }), String, function (v) { state.tag = v; }),
  ];
  selects[0].id = "f-graph"; selects[1].id = "f-version"; selects[2].id = "f-tag";
  var timer = 0;
  searchEl = h("input", { type: "search", id: "f-search", placeholder: "Search id, answer, reasons…", "aria-label": "Search", oninput: function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      state.terms = searchEl.value.toLowerCase().split(/\s+/).filter(Boolean);
      applyFilters();
    }, 90);
  } });
  bar.append(chips, selects[0], selects[1], selects[2], searchEl);
  if (META.compare) {
    changedBox = h("input", { type: "checkbox", id: "f-changed", onchange: function () { state.changedOnly = changedBox.checked; applyFilters(); } });
    bar.append(h("label", null, [changedBox, "changed only"]));
  }
  bar.append(h("button", { type: "button", class: "linkish", text: "clear filters", onclick: function () {
    state.verdicts = {}; state.graph = ""; state.version = ""; state.tag = ""; state.terms = []; state.changedOnly = false;
    for (var k in chipEls) chipEls[k].setAttribute("aria-pressed", "false");
    selects.forEach(function (s) { s.value = ""; });
    searchEl.value = "";
    if (changedBox) changedBox.checked = false;
    applyFilters();
  } }));
}

function boot() {
  renderHeader(document.getElementById("top"));
  renderToolbar(document.getElementById("toolbar"));
  listEl = document.getElementById("list");
  innerEl = document.getElementById("list-inner");
  statusEl = document.getElementById("list-status");
  detailEl = document.getElementById("detail");
  listEl.addEventListener("scroll", queuePaint, { passive: true });
  window.addEventListener("resize", queuePaint);
  innerEl.addEventListener("click", function (event) {
    var row = event.target.closest(".row");
    if (row) select(view[Number(row.getAttribute("data-pos"))], false);
  });
  listEl.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "j") { move(1); event.preventDefault(); }
    else if (event.key === "ArrowUp" || event.key === "k") { move(-1); event.preventDefault(); }
  });
  window.addEventListener("hashchange", selectFromHash);
  applyFilters();
  add(detailEl, renderOverview());
  selectFromHash();
  document.documentElement.setAttribute("data-ready", "true");
  if (window.performance && performance.mark) performance.mark("evalgate:ready");
}
`;
