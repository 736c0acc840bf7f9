import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createJunitReporter, renderJunit } from "./junit.ts";
import { makeContext, makeExample, makeReport, makeScore, removeTempDirs } from "./test-fixtures.ts";
import { escapeXmlAttribute, escapeXmlText } from "./xml.ts";

afterEach(removeTempDirs);

const ctx = { rootDir: "/repo", env: {} };

function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|amp|lt|gt|quot|apos);/g, (_, name: string) => {
    if (name.startsWith("#")) return String.fromCharCode(Number(name.slice(1)));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[name]!;
  });
}

/**
 * A strict check of the XML subset the reporter emits: balanced elements, quoted attributes
 * with no raw `<` or `"`, only known entities, and no character XML 1.0 forbids.
 */
function assertWellFormed(xml: string): void {
  expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
  const body = xml.replace(/^<\?xml [^?]*\?>\n/, "");
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[A-Za-z][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = token.exec(body)) !== null) {
    consumed = token.lastIndex;
    const [, closing, name, , selfClosing, text] = match;
    const raw = text ?? match[3] ?? "";
    expect(raw.replace(/&(#\d+|amp|lt|gt|quot|apos);/g, "")).not.toMatch(/[&<]/);
    if (text !== undefined) continue;
    if (closing) expect(stack.pop()).toBe(name);
    else if (!selfClosing) stack.push(name!);
  }
  expect(consumed).toBe(body.length);
  expect(stack).toEqual([]);
}

function attributesOf(xml: string, tag: string, name: string): Record<string, string> {
  const open = new RegExp(`<${tag}\\b([^>]*\\bname="${name}"[^>]*)>`).exec(xml);
  if (!open) throw new Error(`no <${tag} name="${name}"> in:\n${xml}`);
  return Object.fromEntries([...open[1]!.matchAll(/([\w.-]+)="([^"]*)"/g)].map((m) => [m[1], decodeEntities(m[2]!)]));
}

describe("junit reporter", () => {
  it("writes one testsuite per dataset and one testcase per example, with file, line and seconds", async () => {
    const { ctx: context } = await makeContext();
    const report = makeReport([
      makeExample({ id: "count-companies", line: 12, duration_ms: 1234 }),
      makeExample({ id: "list-leads", line: 30 }),
      makeExample({ id: "v2-case", dataset_version: 2, file: "datasets/admin_chat/v2.yaml", line: 4 }),
    ]);

    const [file] = (await createJunitReporter(context).onEnd!(report)) as string[];
    const xml = await readFile(file!, "utf8");

    expect(file).toBe(path.join(context.outDir, "junit.xml"));
    assertWellFormed(xml);
    expect(attributesOf(xml, "testsuite", "admin_chat@v1")).toMatchObject({ tests: "2", failures: "0", errors: "0" });
    expect(attributesOf(xml, "testsuite", "admin_chat@v2")).toMatchObject({ tests: "1", file: "datasets/admin_chat/v2.yaml" });
    expect(attributesOf(xml, "testcase", "count-companies")).toEqual({
      classname: "admin_chat@v1",
      name: "count-companies",
      file: "datasets/admin_chat/v1.yaml",
      line: "12",
      time: "1.234",
    });
  });

  it("turns a regression into a <failure> whose message is the failing scores' reasons", () => {
    const regression = makeExample({
      id: "count-companies",
      verdict: "regression",
      scores: [
        makeScore("must_contain", false, 'Missing: ["2607"]'),
        makeScore("must_not_contain", true, "None present"),
        makeScore("max_steps", false, "6 steps > 4"),
      ],
    });
    const xml = renderJunit(makeReport([regression, makeExample({ id: "fine" })]), ctx);

    assertWellFormed(xml);
    const failure = /<failure message="([^"]*)" type="regression">([^<]*)<\/failure>/.exec(xml);
    expect(decodeEntities(failure![1]!)).toBe('must_contain: Missing: ["2607"]; max_steps: 6 steps > 4');
    expect(decodeEntities(failure![2]!)).toContain("reproduce: pnpm eval --graph admin_chat --dataset-version 1 --example count-companies");
    expect(decodeEntities(failure![1]!)).not.toContain("None present");
    expect(attributesOf(xml, "testsuite", "admin_chat@v1")).toMatchObject({ tests: "2", failures: "1", errors: "0" });
  });

  it("turns an errored regression into an <error> typed by the error kind", () => {
    const errored = makeExample({
      id: "tool-crash",
      verdict: "regression",
      outcome: "error",
      scores: [],
      output: null,
      error: { kind: "UnexpectedToolCall", message: "count_rows({table: users}) is not recorded", hint: "re-record with --record" },
    });
    const xml = renderJunit(makeReport([errored]), ctx);

    assertWellFormed(xml);
    expect(xml).toContain('<error message="UnexpectedToolCall: count_rows({table: users}) is not recorded" type="UnexpectedToolCall">');
    expect(xml).toContain("hint: re-record with --record");
    expect(xml).not.toContain("<failure");
    expect(attributesOf(xml, "testsuites", "evalgate")).toMatchObject({ failures: "0", errors: "1" });
  });

  it("reports known failures and fixed examples in <system-out>, not as failures of the gate", () => {
    const report = makeReport([
      makeExample({ id: "still-broken", verdict: "known_failure" }),
      makeExample({ id: "now-works", verdict: "fixed" }),
    ]);
    const xml = renderJunit(report, ctx);

    assertWellFormed(xml);
    expect(xml).not.toMatch(/<failure|<error/);
    const outputs = [...xml.matchAll(/<system-out>([^<]*)<\/system-out>/g)].map((m) => decodeEntities(m[1]!));
    expect(outputs.find((o) => o.includes("KNOWN FAILURE"))).toMatch(/not a failure of the gate[\s\S]*Missing: \["2607"\]/);
    expect(outputs.find((o) => o.includes("FIXED"))).toMatch(/marked pass: false but now passes; flip it to pass: true/);
  });

  it("counts a fixed example as a failure under --strict, matching the gate", () => {
    const xml = renderJunit(makeReport([makeExample({ id: "now-works", verdict: "fixed" })], { strict: true }), ctx);

    assertWellFormed(xml);
    expect(xml).toMatch(/<failure message="FIXED: [^"]*fails the gate under --strict\)" type="fixed"\/>/);
    expect(attributesOf(xml, "testsuites", "evalgate")).toMatchObject({ failures: "1" });
    expect(xml).toContain('<property name="evalgate.gate" value="failed"/>');
  });

  it("escapes markup, quotes and control characters so the file stays well-formed", () => {
    const nasty = 'Missing: ["<b>&amp;</b>"] \u0001\u001B[31m "quoted" \'single\'\nsecond line\ud800';
    const regression = makeExample({
      id: 'id-with-<&>"',
      verdict: "regression",
      scores: [makeScore("must_contain", false, nasty)],
      output: { answer: "answer ]]> with \u0007 bell" },
    });
    const xml = renderJunit(makeReport([regression]), ctx);

    assertWellFormed(xml);
    const failure = /<failure message="([^"]*)"/.exec(xml)!;
    expect(decodeEntities(failure[1]!)).toBe(
      'must_contain: Missing: ["<b>&amp;</b>"] \\u0001\\u001B[31m "quoted" \'single\'\nsecond line\\uD800',
    );
    expect(attributesOf(xml, "testcase", 'id-with-&lt;&amp;&gt;&quot;').name).toBe('id-with-<&>"');
    expect(xml).toContain("answer ]]&gt; with \\u0007 bell");
  });
});

describe("xml escaping", () => {
  it("escapes text and attributes and keeps paired surrogates (emoji) intact", () => {
    expect(escapeXmlText("a < b && c > d 😀")).toBe("a &lt; b &amp;&amp; c &gt; d 😀");
    expect(escapeXmlAttribute('say "hi"\tand\r\n\'bye\'')).toBe("say &quot;hi&quot;&#9;and&#13;&#10;&apos;bye&apos;");
    expect(escapeXmlText("nul\u0000 vt\u000B lone\udc00 nonchar\uFFFF")).toBe("nul\\u0000 vt\\u000B lone\\uDC00 nonchar\\uFFFF");
  });
});
