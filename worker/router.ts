// The Worker's routes, as a table: git smart HTTP and the repository API, each forwarded to the
// repository's Durable Object after the name and the request are checked.
import { AutoRouter, error, type IRequest } from "itty-router";
import { ACTOR_HEADER, REPO_HEADER } from "../durable/repo-object";
import type { Env } from "./env";
import { repoId } from "./names";
import { settings } from "./settings";

const SERVICES = new Set(["git-upload-pack", "git-receive-pack"]);

const ABOUT = `git-on-workers: a git smart-HTTP server on Cloudflare Workers, one Durable Object per repository.

  git push http://HOST/OWNER/REPO.git main     creates the repository on first push
  git clone http://HOST/OWNER/REPO.git
  GET /api/repos/OWNER/REPO/ref-log            every ref change, as JSON
  GET /api/repos/OWNER/REPO/refs?at=SEQ|TIME   refs as of any moment
  POST /api/repos/OWNER/REPO/refs/restore      set a ref back ({"ref", "seq"})
  GET /api/repos/OWNER/REPO/storage            bytes in SQLite and in R2
`;

export const router = AutoRouter<IRequest, [Env, ExecutionContext]>({ catch: (e) => error(500, { error: "internal error", detail: String(e) }) });

router
  .get("/", () => new Response(ABOUT, { headers: { "Content-Type": "text/plain; charset=utf-8" } }))
  .get("/:owner/:repo/info/refs", (req, env) => {
    const service = req.query.service;
    if (typeof service !== "string" || !SERVICES.has(service)) return error(403, { error: `unsupported service '${service ?? ""}': only smart HTTP (git-upload-pack, git-receive-pack) is served` });
    return forward(req, env);
  })
  .post("/:owner/:repo/git-upload-pack", forward)
  .post("/:owner/:repo/git-receive-pack", (req, env) => {
    const limit = settings(env).maxPushBytes;
    const length = Number(req.headers.get("Content-Length") ?? 0);
    if (length > limit) return error(413, { error: `push of ${length} bytes is over the limit of ${limit} bytes` });
    return forward(req, env);
  })
  .all("/api/repos/:owner/:repo/*", forward)
  .all("/api/repos/:owner/:repo", forward);

/** Sends the request to the repository's Durable Object, with a gzipped body inflated as a stream. */
async function forward(req: IRequest, env: Env): Promise<Response> {
  const id = repoId(req.params.owner, req.params.repo);
  if (!id) return error(400, { error: "invalid repository name", detail: "owner and repository are 1-100 characters of A-Z a-z 0-9 . _ -, not starting with '.'" });
  const headers = new Headers(req.headers);
  headers.set(REPO_HEADER, id);
  headers.set(ACTOR_HEADER, "anonymous");
  let body: ReadableStream | null = req.body;
  if (body && req.headers.get("Content-Encoding")?.toLowerCase() === "gzip") {
    body = body.pipeThrough(new DecompressionStream("gzip"));
    headers.delete("Content-Encoding");
    headers.delete("Content-Length");
  }
  const stub = env.REPO.get(env.REPO.idFromName(id));
  return stub.fetch(new Request(req.url, { method: req.method, headers, body }));
}
