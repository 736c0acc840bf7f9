import { createServer } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from "../../test/support/fake-github.ts";
import { DEFAULT_MARKER, postStickyComment, type StickyCommentOptions } from "./pr-comment.ts";
import type { PullRequestContext } from "./pr-context.ts";

const servers: FakeGitHub[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

async function fake(options: FakeGitHubOptions = {}) {
  const server = await startFakeGitHub(options);
  servers.push(server);
  return server;
}

const WHERE = { owner: "acme", repo: "agents", issueNumber: 42 };

function contextFor(server: FakeGitHub, overrides: Partial<PullRequestContext> = {}): PullRequestContext {
  return { ok: true, apiUrl: server.url, token: server.token, owner: WHERE.owner, repo: WHERE.repo, pullNumber: WHERE.issueNumber, ...overrides };
}

function post(server: FakeGitHub, body: string, overrides: Partial<StickyCommentOptions> = {}) {
  return postStickyComment({ context: contextFor(server), body, timeoutMs: 5_000, ...overrides });
}

const onIssue = (server: FakeGitHub) => server.comments.filter((c) => c.issueNumber === WHERE.issueNumber);
const calls = (server: FakeGitHub) => server.requests.map((r) => `${r.method} ${r.path}`);

describe("postStickyComment against the fake GitHub (real octokit)", () => {
  it("creates one comment on the first post, with the marker on its first line", async () => {
    const server = await fake();
    const result = await post(server, "## evalgate: prompt change\n\n2 regressions");

    expect(result).toEqual({ posted: true, action: "created", url: expect.stringMatching(/^https:\/\/github\.com\/acme\/agents\/pull\/42#issuecomment-\d+$/) });
    expect(onIssue(server)).toHaveLength(1);
    expect(onIssue(server)[0]!.body).toBe(`${DEFAULT_MARKER}\n## evalgate: prompt change\n\n2 regressions`);
    expect(calls(server)).toEqual(["GET /repos/acme/agents/issues/42/comments", "POST /repos/acme/agents/issues/42/comments"]);
    expect(server.requests[0]!.headers.authorization).toBe(`token ${server.token}`);
  });

  it("edits the same comment on the second post instead of adding another", async () => {
    const server = await fake();
    const first = await post(server, "first run: 2 regressions");
    const second = await post(server, "second run: all fixed");

    expect(second).toEqual({ posted: true, action: "updated", url: first.posted ? first.url : "" });
    const [only, ...rest] = onIssue(server);
    expect(rest).toEqual([]);
    expect(only!.body).toBe(`${DEFAULT_MARKER}\nsecond run: all fixed`);
    expect(calls(server).slice(2)).toEqual(["GET /repos/acme/agents/issues/42/comments", `PATCH /repos/acme/agents/issues/comments/${only!.id}`]);
  });

  it("does not add a second marker when the body already carries one", async () => {
    const server = await fake();
    const body = `intro\n${DEFAULT_MARKER}\nrest`;
    await post(server, body);
    expect(onIssue(server)[0]!.body).toBe(body);
  });

  it("leaves unrelated comments alone and finds the marker past the first page of 100", async () => {
    const server = await fake();
    const others = server.seed(WHERE, Array.from({ length: 150 }, (_, i) => ({ body: `review comment ${i}` })));
    const [ours] = server.seed(WHERE, [{ body: `${DEFAULT_MARKER}\nold comparison`, user: { login: "github-actions[bot]", type: "Bot" } }]);
    server.seed(WHERE, Array.from({ length: 30 }, (_, i) => ({ body: `later comment ${i}` })));
    server.seed({ ...WHERE, issueNumber: 7 }, [{ body: `${DEFAULT_MARKER}\nanother PR's comparison`, user: { login: "github-actions[bot]", type: "Bot" } }]);

    const result = await post(server, "new comparison");

    expect(result).toMatchObject({ posted: true, action: "updated", url: expect.stringContaining(`#issuecomment-${ours!.id}`) });
    expect(ours!.body).toBe(`${DEFAULT_MARKER}\nnew comparison`);
    expect(onIssue(server)).toHaveLength(181);
    expect(others.every((c, i) => c.body === `review comment ${i}`)).toBe(true);
    expect(server.comments.find((c) => c.issueNumber === 7)!.body).toBe(`${DEFAULT_MARKER}\nanother PR's comparison`);
    const pages = server.requests.filter((r) => r.route === "list").map((r) => [r.query.per_page, r.query.page ?? "1"]);
    expect(pages).toEqual([["100", "1"], ["100", "2"]]);
  });

  it("prefers the bot's marked comment over a person's comment that quotes the marker", async () => {
    const server = await fake();
    const [human] = server.seed(WHERE, [{ body: `why does this say ${DEFAULT_MARKER}?` }]);
    const [bot] = server.seed(WHERE, [{ body: `${DEFAULT_MARKER}\nold`, user: { login: "github-actions[bot]", type: "Bot" } }]);

    await post(server, "new");

    expect(bot!.body).toBe(`${DEFAULT_MARKER}\nnew`);
    expect(human!.body).toBe(`why does this say ${DEFAULT_MARKER}?`);
  });

  it("takes the first marked comment when none is a bot's, and honours a custom marker", async () => {
    const server = await fake();
    const marker = "<!-- evalgate:compare:admin_chat -->";
    server.seed(WHERE, [{ body: `${DEFAULT_MARKER}\nthe default marker is not ours here` }]);
    const [first, second] = server.seed(WHERE, [{ body: `${marker}\nv1` }, { body: `${marker}\nv1 copy` }]);

    const result = await post(server, "v2", { marker });

    expect(result).toMatchObject({ posted: true, action: "updated" });
    expect(first!.body).toBe(`${marker}\nv2`);
    expect(second!.body).toBe(`${marker}\nv1 copy`);
  });

  it("returns posted:false with the status when the API answers 500, without throwing", async () => {
    const server = await fake();
    server.failWith(500);
    const result = await post(server, "body");
    expect(result.posted).toBe(false);
    expect(!result.posted && result.error).toMatch(/^GitHub answered 500 while listing the pull request's comments: fake failure 500/);
    expect(server.comments).toHaveLength(0);
  });

  it("returns posted:false naming the step when only the edit fails", async () => {
    const server = await fake();
    await post(server, "first");
    server.failWith(502, "update");
    const result = await post(server, "second");
    expect(!result.posted && result.error).toMatch(/^GitHub answered 502 while editing comment \d+/);
    expect(onIssue(server).map((c) => c.body)).toEqual([`${DEFAULT_MARKER}\nfirst`]);
  });

  it("explains a refused token and a missing write permission", async () => {
    const server = await fake();
    const refused = await postStickyComment({ context: contextFor(server, { token: "ghs_wrong" }), body: "x", timeoutMs: 5_000 });
    expect(!refused.posted && refused.error).toMatch(/GitHub answered 401 .*Bad credentials.*check GITHUB_TOKEN/);

    server.failWith(403, "create");
    const forbidden = await post(server, "x");
    expect(!forbidden.posted && forbidden.error).toMatch(/GitHub answered 403 while creating the comment.*permissions: pull-requests: write/);
  });

  it("is bounded by timeoutMs when the API hangs", async () => {
    const server = await fake();
    server.hang();
    const started = performance.now();
    const result = await post(server, "body", { timeoutMs: 300 });
    const elapsed = performance.now() - started;

    expect(result).toEqual({ posted: false, error: "GitHub did not answer within 300 ms while listing the pull request's comments; the comment was not posted" });
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2_000);
  });

  it("bounds the whole post: a create that hangs after the list answered still ends at timeoutMs", async () => {
    const server = await fake();
    server.hang("create");
    const started = performance.now();
    const result = await post(server, "body", { timeoutMs: 400 });
    expect(!result.posted && result.error).toMatch(/within 400 ms while creating the comment/);
    expect(performance.now() - started).toBeLessThan(2_000);
    // The abandoned request was aborted, not left holding a socket open.
    await vi.waitFor(() => expect(server.inFlight()).toBe(0), { timeout: 1_000 });
    expect(server.requests.filter((r) => r.route === "create")).toHaveLength(1);
  });

  it("stays bounded with an injected fetch that ignores its abort signal", async () => {
    const server = await fake();
    const never: typeof fetch = () => new Promise<Response>(() => {});
    const started = performance.now();
    const result = await post(server, "body", { timeoutMs: 200, fetch: never });
    expect(!result.posted && result.error).toMatch(/did not answer within 200 ms/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("returns posted:false when nothing listens at the API URL", async () => {
    const port = await closedPort();
    const result = await postStickyComment({
      context: { ok: true, apiUrl: `http://127.0.0.1:${port}`, token: "ghs_x", owner: "acme", repo: "agents", pullNumber: 1 },
      body: "x",
      timeoutMs: 5_000,
    });
    expect(!result.posted && result.error).toMatch(new RegExp(`^could not reach GitHub at http://127\\.0\\.0\\.1:${port} while listing the pull request's comments: .*ECONNREFUSED`));
  });

  it("never follows a Link header to another origin with the token", async () => {
    const elsewhere = await fake();
    const server = await fake({ linkOrigin: elsewhere.url });
    server.seed(WHERE, Array.from({ length: 120 }, (_, i) => ({ body: `comment ${i}` })));

    const result = await post(server, "body");

    expect(!result.posted && result.error).toMatch(/refused to send the token to http:\/\/127\.0\.0\.1:\d+, which is not GITHUB_API_URL/);
    expect(elsewhere.requests).toEqual([]);
    expect(server.requests.filter((r) => r.route === "create")).toEqual([]);
  });

  it("refuses a body over GitHub's limit without sending anything", async () => {
    const server = await fake();
    const result = await post(server, "x".repeat(65_536));
    expect(!result.posted && result.error).toMatch(/65562 characters and GitHub takes at most 65536: fit it with fitComment/);
    expect(server.requests).toEqual([]);
  });

  it("sends the request through the injected fetch", async () => {
    const server = await fake();
    const seen: string[] = [];
    const counting: typeof fetch = (input, init) => {
      seen.push(`${init?.method ?? "GET"} ${new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url).pathname}`);
      return fetch(input, init);
    };
    await post(server, "x", { fetch: counting });
    expect(seen).toEqual(calls(server));
    expect(seen).toHaveLength(2);
  });
});

/** A port that was just free: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
