/**
 * Browser-side helpers shared by the list and the detail view. Plain ES2020 in a string: the
 * page has no build step and no network. Everything from the data goes in through textContent
 * or validated attributes, never innerHTML, so an answer holding markup stays text.
 * (No backticks or dollar-brace in here: these parts are String.raw template literals.)
 */
export const CLIENT_UTIL = String.raw`
function h(tag, attrs, children) {
  var node = document.createElement(tag);
  if (attrs) {
    for (var key in attrs) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
  }
  add(node, children);
  return node;
}

function add(node, children) {
  if (children === null || children === undefined || children === false) return;
  if (Array.isArray(children)) { for (var i = 0; i < children.length; i++) add(node, children[i]); return; }
  node.append(typeof children === "object" ? children : String(children));
}

/** Only web links leave the page; a javascript: or data: URL in the data stays text. */
function safeUrl(url) {
  return typeof url === "string" && /^https?:/i.test(url) ? url : null;
}

function link(text, url) {
  var safe = safeUrl(url);
  if (!safe) return h("span", { text: text });
  var a = h("a", { target: "_blank", rel: "noopener noreferrer", text: text });
  a.href = safe;
  return a;
}

function str(index) {
  return typeof index === "number" ? (STRINGS[index] === undefined ? "" : STRINGS[index]) : String(index);
}

function pretty(value) {
  if (typeof value === "string") return value;
  try { var text = JSON.stringify(value, null, 2); return text === undefined ? String(value) : text; } catch (e) { return String(value); }
}

function compact(value) {
  if (typeof value === "string") return value;
  try { var text = JSON.stringify(value); return text === undefined ? String(value) : text; } catch (e) { return String(value); }
}

function fmtInt(n) { return typeof n === "number" ? n.toLocaleString("en-US") : "n/a"; }

function fmtMs(ms) {
  if (typeof ms !== "number" || !isFinite(ms) || ms < 0) return "n/a";
  if (ms < 10) return ms.toFixed(2) + " ms";
  if (ms < 100) return ms.toFixed(1) + " ms";
  if (ms < 1000) return Math.round(ms) + " ms";
  if (ms < 60000) return (ms / 1000).toFixed(1) + " s";
  var total = Math.round(ms / 1000);
  return Math.floor(total / 60) + " min " + String(total % 60).padStart(2, "0") + " s";
}

/** Eval runs cost fractions of a cent, so small amounts keep their significant digits. */
function fmtUsd(usd) {
  if (typeof usd !== "number" || !isFinite(usd)) return "n/a";
  var abs = Math.abs(usd);
  var sign = usd < 0 ? "-" : "";
  if (abs === 0) return "$0.00";
  // Two significant digits, written out: "$0.00000015" reads as money, "1.5e-7" does not.
  if (abs < 0.0001) return sign + "$" + Number(abs.toPrecision(2)).toFixed(12).replace(/0+$/, "");
  return sign + "$" + (abs < 1 ? abs.toFixed(4) : abs.toFixed(2));
}

/** "+112", "-3", "±0": how a head figure moved from the base. */
function delta(base, head, format) {
  if (typeof base !== "number" || typeof head !== "number") return null;
  var d = head - base;
  var text = d === 0 ? "±0" : (d > 0 ? "+" : "−") + format(Math.abs(d));
  return h("span", { class: "delta" + (d > 0 ? " up" : d < 0 ? " down" : ""), text: text });
}

var VERDICT_WORD = { ok: "ok", regression: "regression", fixed: "fixed", known_failure: "known failure", removed: "removed", none: "absent" };

function verdictBadge(verdict) {
  var v = verdict || "none";
  return h("span", { class: "badge v-" + v, text: VERDICT_WORD[v] || v });
}

function section(title, body) {
  return [h("h3", { text: title }), body];
}

function pre(text, cls) { return h("pre", { class: cls || null, text: text }); }

function copyButton(text) {
  return h("button", {
    class: "copy", type: "button", text: "copy", title: "Copy to the clipboard",
    onclick: function (event) {
      var button = event.currentTarget;
      var done = function () { button.textContent = "copied"; setTimeout(function () { button.textContent = "copy"; }, 1200); };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, function () { selectText(button.previousSibling); });
      else selectText(button.previousSibling);
    },
  });
}

function selectText(node) {
  if (!node) return;
  var range = document.createRange();
  range.selectNodeContents(node);
  var selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

function commandLine(text) {
  return h("div", { class: "cmd" }, [h("code", { text: text }), copyButton(text)]);
}

function kv(pairs) {
  var dl = h("dl", { class: "kv" });
  for (var i = 0; i < pairs.length; i++) {
    if (pairs[i][1] === null || pairs[i][1] === undefined) continue;
    dl.append(h("dt", { text: pairs[i][0] }), h("dd", null, pairs[i][1]));
  }
  return dl;
}

function truncateText(text, max) {
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}
`;
