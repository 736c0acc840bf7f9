/**
 * One example's detail view, built only when it is opened: the verdict and why, the base side by
 * side when there is a comparison, the checks, the answer with its expected and forbidden phrases
 * marked, the input, the tool calls, the trace and the commands to reproduce and re-record it.
 * (No backticks or dollar-brace in here: this is a String.raw template literal.)
 */
export const CLIENT_DETAIL = String.raw`
function renderOverview() {
  var rows = META.datasets.map(function (d) {
    var tally = { ok: 0, regression: 0, fixed: 0, known_failure: 0 };
    for (var i = 0; i < EXAMPLES.length; i++) {
      var e = EXAMPLES[i];
      if (e.graph === d.graph && e.version === d.version && e.verdict) tally[e.verdict] += 1;
    }
    return h("tr", null, [
      h("td", null, h("b", { text: d.label })),
      h("td", { text: d.description }),
      h("td", { class: "num", text: fmtInt(d.examples) }),
      h("td", { class: "num", text: fmtInt(tally.regression) }),
      h("td", { class: "num", text: fmtInt(tally.fixed) }),
      h("td", { class: "num", text: fmtInt(tally.known_failure) }),
      h("td", { class: "num", text: fmtInt(tally.ok) }),
    ]);
  });
  return [
    h("p", { class: "empty", text: "Select an example on the left (↑/↓ move through the list) to see its checks, answer, tool calls and trace." }),
    h("h3", { text: "Datasets" }),
    h("table", { class: "overview" }, [
      h("thead", null, h("tr", null, ["Dataset", "Description", "Examples", "Regression", "Fixed", "Known failure", "ok"].map(function (t, i) { return h("th", { class: i > 1 ? "num" : null, text: t }); }))),
      h("tbody", null, rows),
    ]),
  ];
}

function renderDetail(e) {
  var out = [detailHeader(e)];
  if (e.error) out.push(section("Error", errorBox(e.error)));
  if (META.compare) out.push(section("Base vs head", e.change ? compareView(e) : h("p", { class: "empty", text: "This example is not in the comparison." })));
  if (e.verdict !== null) {
    out.push(section("Checks", checksTable(e.scores)));
    out.push(section("Answer", answerView(e)));
    if (e.data !== undefined) out.push(section("Structured output (output.data)", h("div", { class: "box" }, pre(pretty(e.data)))));
    out.push(section("Input", h("div", { class: "box" }, pre(pretty(e.input)))));
    var tools = e.spans.filter(function (s) { return s.kind === "tool"; });
    out.push(section("Tool calls (" + tools.length + ")", tools.length ? toolTable(tools) : h("p", { class: "empty", text: "No tool was called." })));
    out.push(section("Trace (" + e.spans.length + " spans)", e.spans.length ? waterfall(e.spans) : h("p", { class: "empty", text: "No spans were recorded." })));
  }
  out.push(section("Reproduce", reproduceView(e)));
  return out;
}

function detailHeader(e) {
  var sub = [
    h("span", { text: e.dataset }),
    h("span", { class: "mono", text: e.file + ":" + e.line }),
  ];
  if (e.duration_ms !== null) sub.push(h("span", { text: fmtMs(e.duration_ms) }));
  if (e.usage) sub.push(h("span", { text: fmtInt(e.usage.total_tokens) + " tokens (" + fmtInt(e.usage.input_tokens) + " in / " + fmtInt(e.usage.output_tokens) + " out, " + e.usage.llm_calls + " LLM calls, " + (e.usage.recorded ? "recorded" : "measured") + ")" }));
  if (e.usage) sub.push(h("span", { text: "cost " + fmtUsd(e.cost_usd) }));
  if (e.expected_pass !== null) sub.push(h("span", { text: "expected pass: " + e.expected_pass + ", outcome: " + e.outcome }));
  if (safeUrl(e.trace_url)) sub.push(h("span", { class: "trace-link" }, link("LangSmith trace ↗", e.trace_url)));
  var wrap = h("div", null, [
    h("div", { class: "d-head" }, [verdictBadge(verdictOf(e)), h("h2", { text: e.id })].concat(e.tags.map(function (t) { return h("span", { class: "tag", text: t }); }))),
    h("div", { class: "d-sub" }, sub),
  ]);
  if (e.description) wrap.append(h("p", { class: "desc", text: e.description }));
  if (e.note) wrap.append(h("div", { class: "note", text: e.note }));
  if (e.verdict === null) wrap.append(h("div", { class: "note", text: "This example exists only on the base side: it was removed (or its dataset was) in the head." }));
  return wrap;
}

function errorBox(error) {
  return h("div", { class: "box error-box" }, [
    h("div", null, [h("span", { class: "kind", text: error.kind }), ": ", h("span", { text: error.message })]),
    error.hint ? h("div", { class: "hint" }, [h("b", { text: "hint: " }), error.hint]) : null,
  ]);
}

function checksTable(scores) {
  if (scores.length === 0) return h("p", { class: "empty", text: "No check ran (the example errored before scoring)." });
  return h("table", { class: "checks" }, [
    h("thead", null, h("tr", null, [h("th", { text: "Check" }), h("th", { text: "Result" }), h("th", { class: "num", text: "Score" }), h("th", { text: "Reason" })])),
    h("tbody", null, scores.map(function (s) {
      return h("tr", null, [
        h("td", { class: "mono", text: s.name }),
        h("td", { class: s.pass ? "pass" : "failc", text: s.pass ? "pass" : "fail" }),
        h("td", { class: "num", text: s.score.toFixed(2) }),
        h("td", { class: "reason" }, pre(s.reason)),
      ]);
    })),
  ]);
}

var QUOTE_1 = "'‘’‚‛′ʼ", QUOTE_2 = "\"“”„‟″«»", DASH = "-‐‑‒–—―−";

/**
 * A pattern for a phrase that tolerates what the scorer normalises away (case, runs of
 * whitespace, curly quotes and dashes), so the marks land where the check looked.
 */
function phrasePattern(phrase, caseSensitive) {
  var source = "", pendingSpace = false;
  for (var ch of phrase.normalize("NFKC")) {
    if (/\s/.test(ch)) { pendingSpace = source.length > 0; continue; }
    if (pendingSpace) { source += "\\s+"; pendingSpace = false; }
    if (QUOTE_1.indexOf(ch) >= 0) source += "['‘’‚‛′ʼ]";
    else if (QUOTE_2.indexOf(ch) >= 0) source += "[\"“”„‟″«»]";
    else if (DASH.indexOf(ch) >= 0) source += "[-‐‑‒–—―−]";
    else source += ch.replace(/[\\^$.*+?()[\]{}|\/]/g, "\\$&");
  }
  try { return new RegExp(source, caseSensitive ? "gu" : "giu"); } catch (err) { return null; }
}

function phraseList(expect, key) {
  var value = expect && expect[key];
  return Array.isArray(value) ? value.filter(function (p) { return typeof p === "string" && p.length > 0; }) : [];
}

function findHits(text, phrases, cls, caseSensitive, hits) {
  var found = {};
  phrases.forEach(function (phrase) {
    var re = phrasePattern(phrase, caseSensitive);
    found[phrase] = 0;
    if (!re) return;
    var m;
    while ((m = re.exec(text)) !== null) {
      if (m[0].length === 0) { re.lastIndex += 1; continue; }
      hits.push({ start: m.index, end: m.index + m[0].length, cls: cls, phrase: phrase });
      found[phrase] += 1;
    }
  });
  return found;
}

function markedText(text, hits) {
  // Forbidden phrases win an overlap: they are what a reviewer must not miss.
  hits.sort(function (a, b) { return a.start - b.start || (a.cls === "hit-bad" ? -1 : 1); });
  var out = [], at = 0;
  hits.forEach(function (hit) {
    if (hit.start < at) return;
    if (hit.start > at) out.push(text.slice(at, hit.start));
    out.push(h("mark", { class: hit.cls, title: (hit.cls === "hit-bad" ? "forbidden: " : "expected: ") + hit.phrase, text: text.slice(hit.start, hit.end) }));
    at = hit.end;
  });
  if (at < text.length) out.push(text.slice(at));
  return out;
}

function answerView(e) {
  if (e.answer === null) return h("p", { class: "empty", text: "No answer (the agent did not finish)." });
  var match = e.expect && e.expect.match;
  var caseSensitive = !!(match && match.case_sensitive === true);
  var want = phraseList(e.expect, "must_contain"), forbid = phraseList(e.expect, "must_not_contain");
  var hits = [];
  var wantFound = findHits(e.answer, want, "hit-ok", caseSensitive, hits);
  var forbidFound = findHits(e.answer, forbid, "hit-bad", caseSensitive, hits);
  var legend = null;
  if (want.length + forbid.length > 0) {
    legend = h("div", { class: "legend" }, [].concat(
      want.length ? [h("span", { class: "muted", text: "must contain:" })] : [],
      want.map(function (p) { return h("span", { class: "phrase want" + (wantFound[p] ? "" : " missing"), title: wantFound[p] ? "found " + wantFound[p] + "×" : "missing from the answer", text: (wantFound[p] ? "✓ " : "✗ ") + p }); }),
      forbid.length ? [h("span", { class: "muted", text: "must not contain:" })] : [],
      forbid.map(function (p) { return h("span", { class: "phrase forbid" + (forbidFound[p] ? " present" : ""), title: forbidFound[p] ? "present " + forbidFound[p] + "×" : "absent", text: (forbidFound[p] ? "✗ " : "") + p }); })
    ));
  }
  return h("div", { class: "box answer" }, [legend, h("pre", { class: "answer-text" }, markedText(e.answer, hits))]);
}

function toolTable(tools) {
  tools = tools.slice().sort(function (a, b) { return a.start_ms - b.start_ms; });
  return h("table", { class: "tools" }, [
    h("thead", null, h("tr", null, [h("th", { text: "#" }), h("th", { text: "Tool" }), h("th", { text: "Args" }), h("th", { text: "Result" }), h("th", { class: "num", text: "Time" })])),
    h("tbody", null, tools.map(function (s, i) {
      var tool = s.tool || { name: s.name };
      var failed = s.status === "error";
      return h("tr", null, [
        h("td", { class: "num", text: i + 1 }),
        h("td", null, [h("span", { class: "mono", text: tool.name }), tool.attempt > 1 ? h("span", { class: "tag", text: "attempt " + tool.attempt }) : null]),
        h("td", null, pre(tool.args === undefined ? "" : compact(tool.args))),
        h("td", { class: failed ? "failc" : null }, failed ? pre("error: " + (s.error || "failed")) : pre(tool.result === undefined ? "" : pretty(tool.result))),
        h("td", { class: "num", text: fmtMs(s.duration_ms) }),
      ]);
    })),
  ]);
}

function reproduceView(e) {
  var pairs = [
    ["dataset file", h("span", { class: "mono", text: e.file + ":" + e.line })],
    ["recording", h("span", { class: "mono", text: e.recording })],
  ];
  if (e.reproduce) pairs.push(["replay it alone", commandLine(e.reproduce)]);
  if (e.rerecord) pairs.push(["re-record it", commandLine(e.rerecord)]);
  if (safeUrl(e.trace_url)) pairs.push(["LangSmith", link("open the trace ↗", e.trace_url)]);
  return h("div", { class: "box" }, kv(pairs));
}

function diffView(parts, prose) {
  var block = h("pre", { class: prose ? "diff prose" : "diff" });
  parts.forEach(function (part) {
    if (part.op === "insert") block.append(h("ins", { text: part.text }));
    else if (part.op === "delete") block.append(h("del", { text: part.text }));
    else block.append(part.text);
  });
  return block;
}

function compareView(e) {
  var c = e.change, cmp = META.compare;
  var bu = c.usage.base, hu = c.usage.head;
  var cells = [
    h("div", { class: "h" }), h("div", { class: "h", text: "base · " + sideLabel(cmp.base) }), h("div", { class: "h", text: "head · " + sideLabel(cmp.head) }),
    h("div", { class: "k", text: "verdict" }), h("div", null, verdictBadge(c.base_verdict)), h("div", null, verdictBadge(c.head_verdict)),
    h("div", { class: "k", text: "answer" }),
    h("div", null, c.answer.base === null ? h("span", { class: "empty", text: "(none)" }) : pre(c.answer.base, "base-answer prose")),
    h("div", null, c.answer.head === null ? h("span", { class: "empty", text: "(none)" }) : pre(c.answer.head, "head-answer prose")),
  ];
  [["steps", "steps", fmtInt], ["tokens", "tokens", fmtInt], ["cost", "cost_usd", fmtUsd]].forEach(function (row) {
    var b = bu ? bu[row[1]] : null, t = hu ? hu[row[1]] : null;
    cells.push(
      h("div", { class: "k", text: row[0] }),
      h("div", { text: bu ? row[2](b) : "—" }),
      h("div", null, [hu ? row[2](t) : "—", delta(b, t, row[2])]),
    );
  });
  cells.push(
    h("div", { class: "k", text: "tools" }),
    h("div", { class: "mono", text: c.tools.base.join(", ") || "—" }),
    h("div", { class: "mono", text: c.tools.head.join(", ") || "—" }),
  );
  if (c.error.base || c.error.head) {
    cells.push(
      h("div", { class: "k", text: "error" }),
      h("div", { class: c.error.base ? "failc" : null, text: c.error.base || "—" }),
      h("div", { class: c.error.head ? "failc" : null, text: c.error.head || "—" }),
    );
  }
  var out = [
    h("p", { class: "d-sub" }, [
      h("span", { class: "tag change", text: c.status }),
      c.base_verdict !== c.head_verdict ? h("span", { class: "verdict-change" }, [verdictBadge(c.base_verdict), h("span", { class: "arrow", text: " → " }), verdictBadge(c.head_verdict)]) : null,
      c.changed.length ? h("span", { text: "changed: " + c.changed.join(", ") }) : null,
    ]),
    h("div", { class: "sbs" }, cells),
  ];
  if (c.answer.diff.length && c.answer.base !== c.answer.head) out.push(h("h3", { text: "Answer diff" }), h("div", { class: "box" }, diffView(c.answer.diff, true)));
  if (c.data_diff) out.push(h("h3", { text: "output.data diff" }), h("div", { class: "box" }, diffView(c.data_diff, false)));
  if (c.checks.length) out.push(h("h3", { text: "Checks, base → head" }), checkChanges(c.checks));
  var requests = c.requests.filter(function (r) { return r.status !== "same"; });
  if (c.requests.length) out.push(h("h3", { text: "LLM requests (" + requests.length + " of " + c.requests.length + " differ)" }), requests.length ? requestChanges(requests) : h("p", { class: "empty", text: "Every request is the same as the base's." }));
  return h("div", { class: "compare" }, out);
}

function checkCell(side) {
  if (!side) return h("td", { class: "empty", text: "—" });
  return h("td", null, [h("span", { class: side.pass ? "pass" : "failc", text: side.pass ? "pass " : "fail " }), pre(side.reason)]);
}

function checkChanges(checks) {
  return h("table", { class: "check-changes" }, [
    h("thead", null, h("tr", null, [h("th", { text: "Check" }), h("th", { text: "Base" }), h("th", { text: "Head" })])),
    h("tbody", null, checks.map(function (k) {
      return h("tr", { class: k.flipped ? "flip" : null }, [h("td", null, [h("span", { class: "mono", text: k.name }), k.flipped ? [" ", h("span", { class: "tag", text: "flipped" })] : null]), checkCell(k.base), checkCell(k.head)]);
    })),
  ]);
}

function requestChanges(requests) {
  return h("table", { class: "requests" }, [
    h("thead", null, h("tr", null, [h("th", { class: "num", text: "Call" }), h("th", { text: "Status" }), h("th", { text: "What differs" })])),
    h("tbody", null, requests.map(function (r) {
      return h("tr", null, [h("td", { class: "num", text: "#" + r.call }), h("td", { text: r.status }), h("td", null, pre(r.explanation.join("\n")))]);
    })),
  ]);
}
`;
