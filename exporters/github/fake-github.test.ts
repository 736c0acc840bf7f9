import { afterEach, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "../../test/support/fake-github.ts";

/**
 * The fake is only worth its tests if it answers as GitHub does: these pin the parts octokit
 * relies on (Link pagination, the two authorization schemes, error bodies), with plain fetch.
 */

let server: FakeGitHub | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const WHERE = { owner: "acme", repo: "agents", issueNumber: 3 };
const path = "/repos/acme/agents/issues/3/comments";

describe("fake GitHub", () => {
  it("pages comments oldest first with GitHub's Link header", async () => {
    server = await startFakeGitHub();
    server.seed(WHERE, Array.from({ length: 5 }, (_, i) => ({ body: `c${i}` })));
    const headers = { authorization: `Bearer ${server.token}` };

    const first = await fetch(`${server.url}${path}?per_page=2`, { headers });
    expect(((await first.json()) as Array<{ body: string }>).map((c) => c.body)).toEqual(["c0", "c1"]);
    expect(first.headers.get("link")).toBe(`<${server.url}${path}?per_page=2&page=2>; rel="next", <${server.url}${path}?per_page=2&page=3>; rel="last"`);

    const last = await fetch(`${server.url}${path}?per_page=2&page=3`, { headers });
    expect(((await last.json()) as Array<{ body: string }>).map((c) => c.body)).toEqual(["c4"]);
    expect(last.headers.get("link")).not.toContain('rel="next"');
  });

  it("accepts `token` and `Bearer` authorization, and answers 401 otherwise", async () => {
    server = await startFakeGitHub({ token: "ghs_right" });
    const status = async (authorization?: string) => (await fetch(`${server!.url}${path}`, { headers: authorization ? { authorization } : {} })).status;
    expect(await status("token ghs_right")).toBe(200);
    expect(await status("bearer ghs_right")).toBe(200);
    expect(await status("token ghs_wrong")).toBe(401);
    expect(await status()).toBe(401);
  });

  it("creates as the Actions bot, edits by id, and refuses bodies GitHub would refuse", async () => {
    server = await startFakeGitHub();
    const headers = { authorization: `token ${server.token}`, "content-type": "application/json" };
    const created = await fetch(`${server.url}${path}`, { method: "POST", headers, body: JSON.stringify({ body: "hi" }) });
    expect(created.status).toBe(201);
    const comment = (await created.json()) as { id: number; user: unknown };
    expect(comment.user).toEqual({ login: "github-actions[bot]", type: "Bot" });

    const edited = await fetch(`${server.url}/repos/acme/agents/issues/comments/${comment.id}`, { method: "PATCH", headers, body: JSON.stringify({ body: "bye" }) });
    expect(edited.status).toBe(200);
    expect(server.comments.map((c) => c.body)).toEqual(["bye"]);

    const tooLong = await fetch(`${server.url}${path}`, { method: "POST", headers, body: JSON.stringify({ body: "x".repeat(65_537) }) });
    expect(tooLong.status).toBe(422);
    const missing = await fetch(`${server.url}/repos/acme/agents/issues/comments/1`, { method: "PATCH", headers, body: JSON.stringify({ body: "x" }) });
    expect(missing.status).toBe(404);
  });

  it("fails one route when told to, and records every request", async () => {
    server = await startFakeGitHub();
    server.failWith(503, "create");
    const headers = { authorization: `token ${server.token}` };
    expect((await fetch(`${server.url}${path}`, { headers })).status).toBe(200);
    expect((await fetch(`${server.url}${path}`, { method: "POST", headers, body: "{}" })).status).toBe(503);
    expect(server.requests.map((r) => [r.method, r.route])).toEqual([["GET", "list"], ["POST", "create"]]);
  });
});
