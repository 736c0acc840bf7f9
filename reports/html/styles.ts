/**
 * The report's stylesheet. System fonts only (the file must open offline), a neutral palette,
 * and one colour per verdict used the same way in badges, list rows and the comparison.
 */
export const HTML_STYLES = String.raw`
:root {
  --bg: #f6f7f9; --panel: #ffffff; --text: #1f2328; --muted: #656d76; --line: #d8dee4; --soft: #eef1f4;
  --accent: #0b5cad; --sel: #e7effa; --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  --regression: #c62828; --regression-bg: #fdecea;
  --fixed: #a15c00; --fixed-bg: #fff3e0;
  --known: #5f6368; --known-bg: #eceff1;
  --ok: #2e7d32; --ok-bg: #e8f5e9;
  --ins-bg: #d7f5dd; --del-bg: #fbdada; --hit-ok: #cdeccf; --hit-bad: #f9c9c9;
  --row-h: 56px;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16181c; --panel: #1e2126; --text: #e6e8eb; --muted: #9aa3ad; --line: #343a42; --soft: #262a30;
    --accent: #6cb0f5; --sel: #1f2c3d;
    --regression: #ff7b72; --regression-bg: #3a1d1d; --fixed: #f0b35a; --fixed-bg: #3a2c14;
    --known: #a0a7b0; --known-bg: #2b2f35; --ok: #6fcf7a; --ok-bg: #173222;
    --ins-bg: #1d4428; --del-bg: #4a1f22; --hit-ok: #24502d; --hit-bad: #5a2327;
  }
}
* { box-sizing: border-box; }
html, body { height: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  display: flex; flex-direction: column; overflow: hidden;
}
a { color: var(--accent); }
code, pre, .mono { font-family: var(--mono); font-size: 12.5px; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; }
h1 { font-size: 17px; margin: 0; }
h2 { font-size: 18px; margin: 0; word-break: break-all; }
h3 { font-size: 12px; margin: 22px 0 8px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
button, select, input { font: inherit; color: inherit; }

.top { background: var(--panel); border-bottom: 1px solid var(--line); padding: 10px 16px; display: flex; flex-direction: column; gap: 4px; }
.top-row { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.gate { font-weight: 600; padding: 2px 10px; border-radius: 999px; font-size: 13px; }
.gate.pass { color: var(--ok); background: var(--ok-bg); }
.gate.fail { color: var(--regression); background: var(--regression-bg); }
.facts { color: var(--muted); font-size: 13px; display: flex; flex-wrap: wrap; gap: 4px 14px; }
.facts b { color: var(--text); font-weight: 600; }

.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 8px 16px; border-bottom: 1px solid var(--line); background: var(--panel); }
.chips { display: flex; gap: 4px; flex-wrap: wrap; }
.chip { border: 1px solid var(--line); background: var(--panel); border-radius: 999px; padding: 2px 10px; cursor: pointer; font-size: 13px; display: inline-flex; gap: 6px; align-items: center; }
.chip .n { color: var(--muted); font-variant-numeric: tabular-nums; }
.chip[aria-pressed="true"] { border-color: currentColor; font-weight: 600; }
.chip.v-regression[aria-pressed="true"] { color: var(--regression); background: var(--regression-bg); }
.chip.v-fixed[aria-pressed="true"] { color: var(--fixed); background: var(--fixed-bg); }
.chip.v-known_failure[aria-pressed="true"] { color: var(--known); background: var(--known-bg); }
.chip.v-ok[aria-pressed="true"] { color: var(--ok); background: var(--ok-bg); }
.chip.v-removed[aria-pressed="true"] { color: var(--text); background: var(--soft); }
.toolbar select, .toolbar input[type="search"] { border: 1px solid var(--line); border-radius: 6px; padding: 3px 8px; background: var(--panel); }
.toolbar input[type="search"] { flex: 1 1 220px; min-width: 180px; }
.toolbar label { display: inline-flex; gap: 6px; align-items: center; font-size: 13px; }
.linkish { border: 0; background: none; color: var(--accent); cursor: pointer; padding: 0; font-size: 13px; }

.main { flex: 1; display: grid; grid-template-columns: minmax(320px, 38%) 1fr; min-height: 0; }
.list-pane { display: flex; flex-direction: column; min-height: 0; border-right: 1px solid var(--line); background: var(--panel); }
.list-status { padding: 6px 12px; color: var(--muted); font-size: 12px; border-bottom: 1px solid var(--line); }
.list { flex: 1; overflow-y: auto; position: relative; outline: none; }
.list-inner { position: relative; }
.row { position: absolute; left: 0; right: 0; height: var(--row-h); padding: 7px 12px 0 14px; border-bottom: 1px solid var(--soft); cursor: pointer; overflow: hidden; border-left: 3px solid transparent; }
.row:hover { background: var(--soft); }
.row.sel { background: var(--sel); border-left-color: var(--accent); }
.row-head { display: flex; gap: 8px; align-items: center; white-space: nowrap; overflow: hidden; }
.row-id { font-weight: 600; overflow: hidden; text-overflow: ellipsis; }
.row-ds { color: var(--muted); font-size: 12px; flex-shrink: 0; }
.row-end { margin-left: auto; display: flex; gap: 6px; align-items: center; flex-shrink: 0; }
.row-sub { color: var(--muted); font-size: 12.5px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; margin-top: 3px; }
.list-empty { padding: 24px; color: var(--muted); text-align: center; }

.badge { display: inline-block; padding: 0 7px; border-radius: 4px; font-size: 12px; font-weight: 600; line-height: 19px; white-space: nowrap; flex-shrink: 0; }
.badge.v-regression { color: var(--regression); background: var(--regression-bg); }
.badge.v-fixed { color: var(--fixed); background: var(--fixed-bg); }
.badge.v-known_failure { color: var(--known); background: var(--known-bg); }
.badge.v-ok { color: var(--ok); background: var(--ok-bg); }
.badge.v-removed, .badge.v-none { color: var(--muted); background: var(--soft); border: 1px dashed var(--line); }
.tag { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 11.5px; background: var(--soft); color: var(--muted); line-height: 18px; }
.tag.change { color: var(--accent); }
.arrow { color: var(--muted); }

.detail { overflow-y: auto; padding: 16px 22px 48px; min-width: 0; }
.empty { color: var(--muted); }
.d-head { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.d-sub { color: var(--muted); margin-top: 4px; font-size: 13px; display: flex; flex-wrap: wrap; gap: 4px 14px; }
.note { margin-top: 10px; padding: 8px 12px; border-radius: 6px; background: var(--fixed-bg); }
.desc { margin: 8px 0 0; }
.box { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.box pre { max-height: 360px; overflow: auto; }
.error-box { border-color: var(--regression); background: var(--regression-bg); }
.error-box .kind { font-weight: 600; color: var(--regression); }
.hint { margin-top: 6px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 8px; font-size: 12.5px; }
.legend .phrase { padding: 0 6px; border-radius: 4px; border: 1px solid transparent; }
.legend .want { background: var(--hit-ok); }
.legend .want.missing { background: none; border: 1px dashed var(--regression); color: var(--regression); }
.legend .forbid { background: var(--soft); color: var(--muted); }
.legend .forbid.present { background: var(--hit-bad); color: var(--text); border-color: var(--regression); }
.muted { color: var(--muted); }
.answer-text, .prose { font-family: inherit; font-size: 14px; line-height: 1.55; }
mark { color: inherit; border-radius: 3px; padding: 0 1px; }
mark.hit-ok { background: var(--hit-ok); }
mark.hit-bad { background: var(--hit-bad); outline: 1px solid var(--regression); }
ins { background: var(--ins-bg); text-decoration: none; }
del { background: var(--del-bg); }

table { border-collapse: collapse; width: 100%; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--soft); }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: var(--soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td pre { max-height: 220px; overflow: auto; }
.pass { color: var(--ok); font-weight: 600; }
.failc { color: var(--regression); font-weight: 600; }
tr.flip td { background: var(--fixed-bg); }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; font-size: 13px; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; min-width: 0; word-break: break-all; }
.cmd { display: flex; gap: 8px; align-items: center; }
.cmd code { flex: 1; background: var(--soft); padding: 4px 8px; border-radius: 4px; overflow-x: auto; white-space: nowrap; }
.copy { border: 1px solid var(--line); background: var(--panel); border-radius: 4px; cursor: pointer; font-size: 12px; padding: 2px 8px; }

.sbs { display: grid; grid-template-columns: 96px 1fr 1fr; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; background: var(--panel); }
.sbs > div { padding: 6px 10px; border-bottom: 1px solid var(--soft); min-width: 0; }
.sbs > .h { background: var(--soft); font-size: 12px; color: var(--muted); font-weight: 600; }
.sbs > .k { color: var(--muted); font-size: 12.5px; }
.sbs pre { max-height: 260px; overflow: auto; }
.delta { color: var(--muted); font-size: 12px; margin-left: 4px; }
.delta.up { color: var(--regression); }
.delta.down { color: var(--ok); }

.wf { border: 1px solid var(--line); border-radius: 8px; background: var(--panel); font-size: 12.5px; overflow: hidden; }
.wf-grid { display: grid; grid-template-columns: minmax(170px, 2.2fr) minmax(120px, 3fr) 64px 64px 90px 72px; gap: 0 8px; align-items: center; padding: 4px 10px; }
.wf-cols { background: var(--soft); color: var(--muted); font-weight: 600; font-size: 11.5px; }
.wf-cols > span:nth-child(n+3) { text-align: right; }
.wf-row { border-top: 1px solid var(--soft); }
.wf-row > summary { list-style: none; cursor: pointer; }
.wf-row > summary::-webkit-details-marker { display: none; }
.wf-row > summary:hover { background: var(--soft); }
.wf-row[open] > summary { background: var(--soft); }
.wf-name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; display: flex; gap: 5px; align-items: center; }
.wf-name .caret { color: var(--muted); width: 10px; display: inline-block; flex-shrink: 0; }
.wf-row[open] > summary .caret { transform: rotate(90deg); }
.wf-num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; color: var(--muted); }
.wf-track { position: relative; height: 12px; background: var(--soft); border-radius: 3px; }
.wf-bar { position: absolute; top: 1px; bottom: 1px; border-radius: 2px; min-width: 2px; background: #8c959f; }
.k-agent .wf-bar { background: #6e7781; }
.k-llm .wf-bar { background: #5b8def; }
.k-tool .wf-bar { background: #3fa46a; }
.k-phase .wf-bar, .k-chain .wf-bar { background: #a57fd8; }
.k-worker .wf-bar { background: #d4a13c; }
.wf-row.err .wf-bar { background: var(--regression); }
.wf-row.err .wf-name .nm { color: var(--regression); }
.rec { font-size: 10.5px; padding: 0 4px; border-radius: 3px; background: var(--soft); color: var(--muted); border: 1px solid var(--line); }
.wf-body { padding: 8px 12px 12px 24px; border-top: 1px dashed var(--line); display: flex; flex-direction: column; gap: 8px; }
.msg { border: 1px solid var(--line); border-radius: 6px; }
.msg > summary { cursor: pointer; padding: 3px 8px; color: var(--muted); }
.msg > pre { padding: 6px 8px; border-top: 1px solid var(--soft); max-height: 320px; overflow: auto; }
.more { margin-top: 8px; }

.overview td:first-child { white-space: nowrap; }
@media (max-width: 900px) {
  body { overflow: auto; }
  .main { grid-template-columns: 1fr; }
  .list-pane { height: 45vh; border-right: 0; border-bottom: 1px solid var(--line); }
  .detail { overflow: visible; }
}
`;
