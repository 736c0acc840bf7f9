/**
 * A GitHub REST API stand-in for tests: node:http on 127.0.0.1 only, state in memory, every
 * request recorded. It implements exactly what evalgate's sticky PR comment calls through
 * @octokit/rest: list an issue's comments (per_page/page with Link headers, as GitHub pages
 * them), create one, edit one. Answers have GitHub's shapes and error bodies
 * ({ message, documentation_url }), so octokit builds the same errors it would in CI.
 *
 * Failure knobs, changeable while the server runs: `failWith(status, route?)` answers every
 * request (or one route) with that status; `hang(route?)` accepts and never answers.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeRoute = "list" | "create" | "update";

export interface FakeComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  user: { login: string; type: "Bot" | "User" };
  created_at: string;
  updated_at: string;
}

export interface FakeGitHubRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  /** Which implemented route answered it (undefined: not one of ours, answered 404). */
  route: FakeRoute | undefined;
}

export interface FakeGitHubOptions {
  /** The token the server accepts (default "ghs_faketoken"). */
  token?: string;
  /** Origin written into Link headers instead of the server's own (to test where pagination may lead). */
  linkOrigin?: string;
}

export interface FakeGitHub {
  readonly url: string;
  readonly token: string;
  readonly requests: FakeGitHubRequest[];
  /** Every comment, in creation order (GitHub lists them oldest first). */
  readonly comments: FakeComment[];
  /** Adds comments to an issue as if others had written them; returns them with their ids. */
  seed(where: { owner: string; repo: string; issueNumber: number }, comments: Array<{ body: string; user?: FakeComment["user"] }>): FakeComment[];
  failWith(status: number, route?: FakeRoute): void;
  hang(route?: FakeRoute): void;
  /** Back to answering normally. */
  heal(): void;
  /** Hung requests whose client has not hung up yet: 0 once a client aborts what it gave up on. */
  inFlight(): number;
  close(): Promise<void>;
}

const DOCS = "https://docs.github.com/rest";
const BOT = { login: "github-actions[bot]", type: "Bot" } as const;
const BODY_LIMIT = 65_536;

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const token = options.token ?? "ghs_faketoken";
  const requests: FakeGitHubRequest[] = [];
  const comments: FakeComment[] = [];
  let nextId = 1_000_001;
  let failure: { status: number; route: FakeRoute | undefined } | undefined;
  let hanging: { route: FakeRoute | undefined } | undefined;
  let base = "";
  let inFlight = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const method = req.method ?? "GET";
      const route = routeOf(method, url.pathname);
      const recorded: FakeGitHubRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), route: route?.name };
      requests.push(recorded);

      if (hanging && (hanging.route === undefined || hanging.route === route?.name)) {
        inFlight++;
        res.on("close", () => inFlight--);
        return;
      }
      if (failure && (failure.route === undefined || failure.route === route?.name)) {
        return send(res, failure.status, { message: `fake failure ${failure.status}`, documentation_url: DOCS });
      }
      if (!authorized(req.headers.authorization, token)) return send(res, 401, { message: "Bad credentials", documentation_url: DOCS });
      if (route === undefined) return send(res, 404, { message: "Not Found", documentation_url: DOCS });

      if (route.name === "list") return list(res, route, url, options.linkOrigin ?? base);
      const body = parseBody(recorded.body);
      if (typeof body !== "string") return send(res, 422, { message: "Validation Failed", errors: [{ resource: "IssueComment", code: "missing_field", field: "body" }], documentation_url: DOCS });
      if (body.length > BODY_LIMIT) return send(res, 422, { message: "Validation Failed", errors: [{ resource: "IssueComment", code: "custom", field: "body", message: `body is too long (maximum is ${BODY_LIMIT} characters)` }], documentation_url: DOCS });
      const now = new Date().toISOString();
      if (route.name === "create") {
        const comment: FakeComment = { id: nextId++, owner: route.owner, repo: route.repo, issueNumber: route.number, body, user: BOT, created_at: now, updated_at: now };
        comments.push(comment);
        return send(res, 201, view(comment));
      }
      const comment = comments.find((c) => c.id === route.number && c.owner === route.owner && c.repo === route.repo);
      if (!comment) return send(res, 404, { message: "Not Found", documentation_url: DOCS });
      comment.body = body;
      comment.updated_at = now;
      return send(res, 200, view(comment));
    });
  });

  function list(res: ServerResponse, route: Route, url: URL, linkBase: string): void {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page") ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
    const all = comments.filter((c) => c.owner === route.owner && c.repo === route.repo && c.issueNumber === route.number);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const pageUrl = (n: number) => {
      const next = new URL(url.pathname, linkBase);
      next.searchParams.set("per_page", String(perPage));
      next.searchParams.set("page", String(n));
      return next.href;
    };
    const links = [
      ...(page < last ? [`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(last)}>; rel="last"`] : []),
      ...(page > 1 ? [`<${pageUrl(1)}>; rel="first"`, `<${pageUrl(page - 1)}>; rel="prev"`] : []),
    ];
    send(res, 200, all.slice((page - 1) * perPage, page * perPage).map(view), links.length ? { link: links.join(", ") } : {});
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    token,
    requests,
    comments,
    seed(where, seeded) {
      const now = new Date().toISOString();
      return seeded.map((c) => {
        const comment: FakeComment = { id: nextId++, owner: where.owner, repo: where.repo, issueNumber: where.issueNumber, body: c.body, user: c.user ?? { login: "octocat", type: "User" }, created_at: now, updated_at: now };
        comments.push(comment);
        return comment;
      });
    },
    failWith(status, route) {
      failure = { status, route };
    },
    hang(route) {
      hanging = { route };
    },
    heal() {
      failure = undefined;
      hanging = undefined;
    },
    inFlight: () => inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  function view(c: FakeComment) {
    return {
      id: c.id,
      node_id: `IC_fake${c.id}`,
      url: `${base}/repos/${c.owner}/${c.repo}/issues/comments/${c.id}`,
      html_url: `https://github.com/${c.owner}/${c.repo}/pull/${c.issueNumber}#issuecomment-${c.id}`,
      issue_url: `${base}/repos/${c.owner}/${c.repo}/issues/${c.issueNumber}`,
      body: c.body,
      user: c.user,
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: c.user.type === "Bot" ? "NONE" : "MEMBER",
    };
  }
}

interface Route {
  name: FakeRoute;
  owner: string;
  repo: string;
  /** The issue number for list and create, the comment id for update. */
  number: number;
}

function routeOf(method: string, path: string): Route | undefined {
  const issue = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path);
  if (issue && (method === "GET" || method === "POST")) {
    return { name: method === "GET" ? "list" : "create", owner: issue[1]!, repo: issue[2]!, number: Number(issue[3]) };
  }
  const comment = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path);
  if (comment && method === "PATCH") return { name: "update", owner: comment[1]!, repo: comment[2]!, number: Number(comment[3]) };
  return undefined;
}

/** GitHub takes the token as "token X" or "Bearer X" (scheme case-insensitive). */
function authorized(header: string | undefined, token: string): boolean {
  const match = /^(token|bearer)\s+(\S+)$/i.exec(header ?? "");
  return match !== null && match[2] === token;
}

function parseBody(raw: string): unknown {
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed !== null && typeof parsed === "object" ? (parsed as { body?: unknown }).body : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}
