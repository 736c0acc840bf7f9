import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readPullRequestContext } from "./pr-context.ts";

const dir = mkdtempSync(join(tmpdir(), "evalgate-pr-context-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function eventFile(payload: unknown): string {
  const path = join(dir, `event-${files++}.json`);
  writeFileSync(path, typeof payload === "string" ? payload : JSON.stringify(payload));
  return path;
}

/** What a pull_request job sees, with `overrides` applied (undefined removes a variable). */
function env(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base: Record<string, string | undefined> = {
    GITHUB_TOKEN: "ghs_abc",
    GITHUB_REPOSITORY: "acme/agents",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: eventFile({ action: "synchronize", number: 42, pull_request: { number: 42 } }),
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined));
}

const reasonOf = (e: NodeJS.ProcessEnv) => {
  const result = readPullRequestContext(e);
  if (result.ok) throw new Error(`expected a reason, got ${JSON.stringify(result)}`);
  return result.reason;
};

describe("readPullRequestContext", () => {
  it("reads a pull_request job: token, owner/name, the PR number and github.com's API", () => {
    expect(readPullRequestContext(env())).toEqual({ ok: true, apiUrl: "https://api.github.com", token: "ghs_abc", owner: "acme", repo: "agents", pullNumber: 42 });
  });

  it("uses GITHUB_API_URL (GitHub Enterprise Server) without its trailing slash", () => {
    const result = readPullRequestContext(env({ GITHUB_API_URL: "https://ghe.example.com/api/v3/" }));
    expect(result).toMatchObject({ ok: true, apiUrl: "https://ghe.example.com/api/v3" });
  });

  it("falls back to GH_TOKEN", () => {
    expect(readPullRequestContext(env({ GITHUB_TOKEN: undefined, GH_TOKEN: "gho_xyz" }))).toMatchObject({ ok: true, token: "gho_xyz" });
    expect(readPullRequestContext(env({ GITHUB_TOKEN: "", GH_TOKEN: "gho_xyz" }))).toMatchObject({ ok: true, token: "gho_xyz" });
  });

  it("takes the number from pull_request.number, then number, then issue.number", () => {
    expect(readPullRequestContext(env({ GITHUB_EVENT_PATH: eventFile({ pull_request: { number: 7 }, number: 8 }) }))).toMatchObject({ pullNumber: 7 });
    expect(readPullRequestContext(env({ GITHUB_EVENT_PATH: eventFile({ number: 8 }) }))).toMatchObject({ pullNumber: 8 });
    const comment = eventFile({ action: "created", issue: { number: 9, pull_request: { url: "https://api.github.com/repos/acme/agents/pulls/9" } }, comment: { id: 1 } });
    expect(readPullRequestContext(env({ GITHUB_EVENT_NAME: "issue_comment", GITHUB_EVENT_PATH: comment }))).toMatchObject({ ok: true, pullNumber: 9 });
  });

  it("says an issue_comment on a plain issue has no pull request", () => {
    const comment = eventFile({ action: "created", issue: { number: 9 }, comment: { id: 1 } });
    expect(reasonOf(env({ GITHUB_EVENT_NAME: "issue_comment", GITHUB_EVENT_PATH: comment }))).toMatch(/issue_comment event is on issue #9, not on a pull request/);
  });

  it("says push and merge_group events have no pull request, before asking for a token", () => {
    const push = reasonOf(env({ GITHUB_EVENT_NAME: "push", GITHUB_TOKEN: undefined, GITHUB_EVENT_PATH: eventFile({ ref: "refs/heads/main" }) }));
    expect(push).toMatch(/push event, which has no pull request/);
    expect(push).not.toMatch(/GITHUB_TOKEN/);
    expect(reasonOf(env({ GITHUB_EVENT_NAME: "merge_group", GITHUB_EVENT_PATH: eventFile({ merge_group: { head_sha: "abc" } }) }))).toMatch(/merge_group event, which has no pull request/);
    // A runner that does not set GITHUB_EVENT_NAME: the payload still says it is a merge queue run.
    expect(reasonOf(env({ GITHUB_EVENT_NAME: undefined, GITHUB_EVENT_PATH: eventFile({ merge_group: { head_sha: "abc" } }) }))).toMatch(/merge_group event/);
  });

  it("asks for the token and the pull-requests: write permission when no token is set", () => {
    const reason = reasonOf(env({ GITHUB_TOKEN: undefined }));
    expect(reason).toMatch(/^cannot comment on pull request #42: GITHUB_TOKEN \(or GH_TOKEN\) is not set/);
    expect(reason).toContain("permissions: pull-requests: write");
    expect(reasonOf(env({ GITHUB_TOKEN: "   " }))).toMatch(/GITHUB_TOKEN \(or GH_TOKEN\) is not set/);
  });

  it("names GITHUB_REPOSITORY when it is missing or not owner/name", () => {
    expect(reasonOf(env({ GITHUB_REPOSITORY: undefined }))).toMatch(/GITHUB_REPOSITORY is not set: set it to "owner\/name"/);
    expect(reasonOf(env({ GITHUB_REPOSITORY: "agents" }))).toMatch(/GITHUB_REPOSITORY is "agents", not "owner\/name"/);
  });

  it("lists every missing piece in one reason", () => {
    const reason = reasonOf(env({ GITHUB_TOKEN: undefined, GITHUB_REPOSITORY: undefined, GITHUB_API_URL: "not a url" }));
    expect(reason).toMatch(/GITHUB_TOKEN .*; GITHUB_REPOSITORY .*; GITHUB_API_URL is "not a url", which is not a URL/);
  });

  it("refuses a GITHUB_API_URL that is not http(s)", () => {
    expect(reasonOf(env({ GITHUB_API_URL: "file:///etc/passwd" }))).toMatch(/GITHUB_API_URL is "file:\/\/\/etc\/passwd": only http and https/);
  });

  it("explains a job outside GitHub Actions, an unreadable payload and a payload without a number", () => {
    expect(reasonOf(env({ GITHUB_EVENT_PATH: undefined }))).toMatch(/GITHUB_EVENT_PATH is not set: this is not a GitHub Actions job/);
    expect(reasonOf(env({ GITHUB_EVENT_PATH: join(dir, "missing.json") }))).toMatch(/cannot read the event payload at GITHUB_EVENT_PATH \(.*missing\.json\): ENOENT/);
    expect(reasonOf(env({ GITHUB_EVENT_PATH: eventFile("{not json") }))).toMatch(/: it is not JSON$/);
    expect(reasonOf(env({ GITHUB_EVENT_PATH: eventFile([1, 2]) }))).toMatch(/is not a JSON object/);
    expect(reasonOf(env({ GITHUB_EVENT_NAME: "workflow_run", GITHUB_EVENT_PATH: eventFile({ workflow_run: { id: 1 } }) }))).toMatch(/no pull request number in the workflow_run payload .*pull_request\.number, number and issue\.number/);
    expect(reasonOf(env({ GITHUB_EVENT_PATH: eventFile({ number: "42" }) }))).toMatch(/no pull request number/);
  });
});
