/**
 * The span tree as a waterfall: one row per span in tree order, a bar placed on the example's
 * timeline, and the figures a reviewer compares (offset, duration, tokens, cost, whether usage was
 * replayed from a recording). A row opens to its prompt, completion, tool call and attributes,
 * built on first open because prompts are most of a trace's size.
 * (No backticks or dollar-brace in here: this is a String.raw template literal.)
 */
export const CLIENT_TRACE = String.raw`
var WATERFALL_ROWS = 400;

function spanOrder(spans) {
  var ids = {}, children = {}, roots = [];
  spans.forEach(function (s) { ids[s.id] = true; });
  spans.forEach(function (s) {
    // A span whose parent is missing is still shown, as a root, rather than dropped.
    if (s.parent !== null && ids[s.parent] && s.parent !== s.id) (children[s.parent] = children[s.parent] || []).push(s);
    else roots.push(s);
  });
  var byStart = function (a, b) { return a.start_ms - b.start_ms; };
  var out = [], visited = {};
  var walk = function (s, depth) {
    if (visited[s.id]) return;
    visited[s.id] = true;
    out.push({ span: s, depth: depth });
    (children[s.id] || []).sort(byStart).forEach(function (c) { walk(c, depth + 1); });
  };
  roots.sort(byStart).forEach(function (s) { walk(s, 0); });
  return out;
}

function spanTokens(s) {
  if (typeof s.input_tokens === "number" || typeof s.output_tokens === "number") return fmtInt(s.input_tokens || 0) + " → " + fmtInt(s.output_tokens || 0);
  if (typeof s.total_tokens === "number") return fmtInt(s.total_tokens);
  return "";
}

function waterfall(spans) {
  var rows = spanOrder(spans);
  var end = 0;
  spans.forEach(function (s) { end = Math.max(end, s.start_ms + Math.max(0, s.duration_ms)); });
  if (!(end > 0)) end = 1;
  var box = h("div", { class: "wf" }, h("div", { class: "wf-grid wf-cols" }, [
    h("span", { text: "Span" }), h("span", { text: "Timeline (" + fmtMs(end) + ")" }), h("span", { text: "Start" }), h("span", { text: "Duration" }), h("span", { title: "input → output tokens", text: "Tokens" }), h("span", { text: "Cost" }),
  ]));
  var shown = 0;
  var more = function () {
    var stop = Math.min(rows.length, shown + WATERFALL_ROWS);
    for (; shown < stop; shown++) box.append(spanRow(rows[shown].span, rows[shown].depth, end));
    if (shown < rows.length) box.append(h("div", { class: "more wf-grid" }, h("button", { type: "button", class: "linkish", text: "show " + (rows.length - shown) + " more spans", onclick: function (ev) { ev.currentTarget.parentNode.remove(); more(); } })));
  };
  more();
  return box;
}

function spanRow(s, depth, end) {
  var bar = h("span", { class: "wf-bar" });
  bar.style.left = (100 * Math.max(0, s.start_ms) / end).toFixed(3) + "%";
  bar.style.width = Math.max(0.4, (100 * Math.max(0, s.duration_ms)) / end).toFixed(3) + "%";
  var name = h("span", { class: "wf-name", title: s.name }, [
    h("span", { class: "caret", text: "▸" }),
    h("span", { class: "nm", text: s.name }),
    s.recorded === true ? h("span", { class: "rec", title: "usage and latency replayed from the recording (evalgate.recorded)", text: "recorded" }) : null,
    s.recorded === false ? h("span", { class: "rec", title: "measured in this run", text: "live" }) : null,
    s.status === "error" ? h("span", { class: "badge v-regression", text: "error" }) : null,
  ]);
  name.style.paddingLeft = depth * 14 + "px";
  var summary = h("summary", { class: "wf-grid" }, [
    name,
    h("span", { class: "wf-track" }, bar),
    h("span", { class: "wf-num", text: "+" + fmtMs(s.start_ms) }),
    h("span", { class: "wf-num", text: fmtMs(s.duration_ms) }),
    h("span", { class: "wf-num", text: spanTokens(s) }),
    h("span", { class: "wf-num", text: typeof s.cost_usd === "number" ? fmtUsd(s.cost_usd) : "" }),
  ]);
  var row = h("details", { class: "wf-row k-" + s.kind + (s.status === "error" ? " err" : ""), "data-span": s.id }, summary);
  row.addEventListener("toggle", function () {
    if (row.open && !row.querySelector(".wf-body")) row.append(spanBody(s));
  });
  return row;
}

function spanBody(s) {
  var facts = [["kind", s.kind], ["status", s.status]];
  if (s.error) facts.push(["error", h("span", { class: "failc", text: s.error })]);
  if (s.model) facts.push(["model", s.model]);
  if (typeof s.latency_ms === "number") facts.push([s.recorded ? "recorded latency" : "latency", fmtMs(s.latency_ms)]);
  if (typeof s.recorded === "boolean") facts.push(["evalgate.recorded", String(s.recorded)]);
  if (typeof s.total_tokens === "number") facts.push(["total tokens", fmtInt(s.total_tokens)]);
  if (s.tool) {
    facts.push(["tool", h("span", { class: "mono", text: s.tool.name })]);
    if (s.tool.attempt !== undefined) facts.push(["attempt", String(s.tool.attempt)]);
  }
  var body = h("div", { class: "wf-body" }, kv(facts));
  if (s.tool && s.tool.args !== undefined) body.append(h("div", null, [h("b", { text: "args" }), pre(pretty(s.tool.args))]));
  if (s.tool && s.tool.result !== undefined) body.append(h("div", null, [h("b", { text: "result" }), pre(pretty(s.tool.result))]));
  if (s.prompt) {
    body.append(h("b", { text: "prompt (" + s.prompt.length + " message" + (s.prompt.length === 1 ? "" : "s") + ")" }));
    s.prompt.forEach(function (m, i) {
      var text = str(m.content);
      var last = i === s.prompt.length - 1;
      // The newest message is what this call added; the rest is the conversation so far.
      body.append(h("details", { class: "msg", open: last }, [
        h("summary", { text: m.role + " · " + fmtInt(text.length) + " chars" }),
        pre(text + (m.extra ? "\n\n" + pretty(m.extra) : "")),
      ]));
    });
  }
  if (s.completion !== undefined) body.append(h("details", { class: "msg completion", open: true }, [h("summary", { text: "completion" }), pre(str(s.completion))]));
  if (Object.keys(s.attributes).length) body.append(h("details", { class: "msg" }, [h("summary", { text: "other attributes (" + Object.keys(s.attributes).length + ")" }), pre(pretty(s.attributes))]));
  return body;
}
`;
