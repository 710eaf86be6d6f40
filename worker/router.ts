// The Worker's routes, as a table: git smart HTTP and the repository API, each forwarded to the
// repository's Durable Object once the name is checked and the caller identified; and the token API,
// served from the registry. Every refusal is answered here in one way: JSON for the API, plain text
// for git (which shows it as `remote:` lines), WWW-Authenticate on 401 and Retry-After on 429.
import { AutoRouter, type IRequest } from "itty-router";
import { checkAccess } from "../durable/access/gate";
import { encodePrincipal, PRINCIPAL_HEADER } from "../durable/access/principal";
import { ApiError, describe, errorResponse, lfsErrorResponse, RateLimited, textErrorResponse } from "../durable/errors";
import { discardStream } from "../durable/protocol/chunk-source";
import { REPO_HEADER } from "../durable/repo-object";
import { IMPORT_HEADER } from "../durable/lifecycle/import-state";
import { identify, principalFor, REALM, type Caller } from "./auth/caller";
import { deleteToken, getTokens, postToken } from "./auth/tokens-api";
import { deleteRepo, getRegistryLog, getRepos, postFork, postImport, postRepo, undeleteRepo } from "./repos/repos-api";
import type { Env } from "./env";
import { relayBody } from "./body-relay";
import { fromCache, toCache } from "./immutable-cache";
import { downloadLfsObject, uploadLfsObject } from "./lfs/transfer";
import { asset, SCRIPT, STYLE } from "./ui/assets";
import { uiErrorResponse } from "./ui/error-page";
import { activityPage } from "./ui/pages/activity";
import { blobPage, homePage, rawPage, treePage } from "./ui/pages/code";
import { commitPage, commitsPage, comparePage } from "./ui/pages/history";
import { branchesPage, tagsPage } from "./ui/pages/refs";
import { signIn, signInPage, signOut } from "./ui/pages/sign-in";
import { serverHealth } from "./health";
import { repoExists } from "./known-repos";
import { repoId } from "./names";
import { settings } from "./settings";
import { errorFields, log } from "../durable/observe/log";
import { Operation } from "../durable/observe/operation";
import { newRequestId, REQUEST_ID_HEADER, requestIdLine } from "../durable/observe/request-id";

const SERVICES = new Set(["git-upload-pack", "git-receive-pack"]);

const ABOUT = `git-on-workers: a git smart-HTTP server on Cloudflare Workers, one Durable Object per repository.

  git push http://HOST/OWNER/REPO.git main     creates the repository on first push
  git clone http://HOST/OWNER/REPO.git
  POST /api/repos                              create one ({"owner", "name", "visibility"?, ...})
  GET /api/repos                               the repositories you may read
  DELETE /api/repos/OWNER/REPO                 delete (POST .../undelete brings it back for a while)
  POST /api/repos/OWNER/REPO/forks             fork it ({"owner", "name"})
  POST /api/repos/OWNER/REPO/import            a new repository from a remote's branches and tags ({"url"})
  GET /api/repos/OWNER/REPO                    visibility and protection rules (PATCH to change)
  GET /api/repos/OWNER/REPO/ref-log            every ref change, as JSON
  GET /api/repos/OWNER/REPO/refs?at=SEQ|TIME   refs as of any moment
  POST /api/repos/OWNER/REPO/refs/restore      set a ref back ({"ref", "seq"})
  GET /api/repos/OWNER/REPO/storage            bytes in SQLite and in R2, and Git LFS's
  git lfs push / pull / lock                   Git LFS at http://HOST/OWNER/REPO.git/info/lfs
  POST /api/repos/OWNER/REPO/hooks             a webhook for pushes, restores and repository events
  POST /api/tokens                             mint a token (admin)
`;

type Handler = (req: IRequest, env: Env, caller: Caller, ctx: ExecutionContext) => Promise<Response>;

export const router = AutoRouter<IRequest, [Env, ExecutionContext]>({ catch: (e) => errorResponse(e) });

router
  .get("/", () => new Response(ABOUT, { headers: { "Content-Type": "text/plain; charset=utf-8" } }))
  .get("/:owner/:repo/info/refs", git((req, env, caller) => {
    const service = req.query.service;
    if (typeof service !== "string" || !SERVICES.has(service)) throw new ApiError(403, `unsupported service '${service ?? ""}': only smart HTTP (git-upload-pack, git-receive-pack) is served`);
    return forward(req, env, caller, service === "git-receive-pack");
  }))
  .post("/:owner/:repo/git-upload-pack", git(read))
  // A push over MAX_PUSH_BYTES is refused by the repository, which reads its commands first so that
  // the refusal reaches git as a report it prints (an HTTP 413 would only show "Everything up-to-date").
  .post("/:owner/:repo/git-receive-pack", git((req, env, caller) => forward(req, env, caller, true)))
  // Git LFS (git-lfs finds it from the remote URL): the batch API and locks are the repository's; the
  // transfers stream between the client and R2 here. A batch may be a repository's first write, as a push is.
  .post("/:owner/:repo/info/lfs/objects/batch", lfs((req, env, caller) => forward(req, env, caller, true)))
  .put("/:owner/:repo/info/lfs/objects/:oid", lfs(uploadLfsObject))
  .get("/:owner/:repo/info/lfs/objects/:oid", lfs(downloadLfsObject))
  .all("/:owner/:repo/info/lfs/*", lfs(read))
  .get("/api/health", api((_req, env) => serverHealth(env)))
  .post("/api/tokens", api(loggedWrite("tokens", (req, env, caller) => postToken(req, env, caller))))
  .get("/api/tokens", api((req, env, caller) => getTokens(req, env, caller)))
  .delete("/api/tokens/:id", api(loggedWrite("tokens", (req, env, caller) => deleteToken(req.params.id!, env, caller))))
  .all("/api/tokens", () => errorResponse(new ApiError(405, "method not allowed", "use GET or POST"), { Allow: "GET, POST" }))
  .post("/api/repos", api(loggedWrite("create-repo", (req, env, caller) => postRepo(req, env, caller))))
  .get("/api/repos", api((req, env, caller) => getRepos(req, env, caller)))
  .get("/api/registry-log", api((req, env, caller) => getRegistryLog(req, env, caller)))
  .delete("/api/repos/:owner/:repo", api(loggedWrite("delete-repo", (req, env, caller) => deleteRepo(req.params.owner!, req.params.repo!, req, env, caller))))
  .post("/api/repos/:owner/:repo/forks", api(loggedWrite("fork", (req, env, caller) => postFork(req.params.owner!, req.params.repo!, req, env, caller))))
  .post("/api/repos/:owner/:repo/import", api(loggedWrite("import", (req, env, caller) => postImport(req.params.owner!, req.params.repo!, req, env, caller))))
  .post("/api/repos/:owner/:repo/undelete", api(loggedWrite("undelete-repo", (req, env, caller) => undeleteRepo(req.params.owner!, req.params.repo!, req, env, caller))))
  .get("/api/repos/:owner/:repo/*", api(async (req, env, caller, ctx) => (await fromCache(req)) ?? toCache(req, await forward(req, env, caller), ctx)))
  .all("/api/repos/:owner/:repo/*", api(read))
  .all("/api/repos/:owner/:repo", api(read))
  // The web UI: pages at the repository's own URL, as on GitHub, after every other route ("-" and "api"
  // are not owners: the UI's own paths and the API's).
  .get("/-/style.css", () => asset(STYLE, "text/css"))
  .get("/-/ui.js", () => asset(SCRIPT, "text/javascript"))
  .get("/-/sign-in", ui(signInPage))
  .post("/-/sign-in", ui(signIn))
  .post("/-/sign-out", ui(signOut))
  .get("/:owner/:repo", ui(homePage))
  .get("/:owner/:repo/tree/:rest+", ui(treePage))
  .get("/:owner/:repo/blob/:rest+", ui(blobPage))
  .get("/:owner/:repo/raw/:rest+", ui(rawPage))
  .get("/:owner/:repo/commits", ui(commitsPage))
  .get("/:owner/:repo/commits/:rest+", ui(commitsPage))
  .get("/:owner/:repo/commit/:oid", ui(commitPage))
  .get("/:owner/:repo/compare/:spec", ui(comparePage))
  .get("/:owner/:repo/branches", ui(branchesPage))
  .get("/:owner/:repo/tags", ui(tagsPage))
  .get("/:owner/:repo/activity", ui(activityPage));

/** A request sent to its repository that may not create it. */
function read(req: IRequest, env: Env, caller: Caller): Promise<Response> {
  return forward(req, env, caller);
}

/** A write served here rather than by one repository (tokens, repositories), as an operation with its log line (never a token's secret). */
function loggedWrite(name: string, handler: Handler): Handler {
  return async (req, env, caller, ctx) => {
    const actor = caller.kind === "token" ? caller.token.name : caller.kind;
    const repo = req.params.owner && req.params.repo ? `${req.params.owner}/${req.params.repo}` : "";
    const op = new Operation(name, { repo, requestId: String(req.requestId), actor, metrics: env.METRICS });
    try {
      const response = await handler(req, env, caller, ctx);
      if (response.status >= 400) op.refuse(`HTTP ${response.status}`);
      return response;
    } catch (e) {
      op.thrown(e);
      throw e;
    } finally {
      op.finish();
    }
  };
}

/** A git route: refusals as plain text. */
function git(handler: Handler) {
  return guarded(handler, textErrorResponse);
}

/** A Git LFS route: refusals as the LFS API's JSON. */
function lfs(handler: Handler) {
  return guarded(handler, lfsErrorResponse);
}

/** A page of the web UI: refusals as a page. */
function ui(handler: Handler) {
  return guarded(handler, uiErrorResponse);
}

/** An API route: refusals as JSON. */
function api(handler: Handler) {
  return guarded(handler, errorResponse);
}

/**
 * Identifies the caller, runs the handler, and answers what either throws; the 401 and 429 headers go on
 * every such answer, and the request id on every answer (in the body too of a refusal git shows).
 */
function guarded(handler: Handler, render: (e: unknown) => Response) {
  return async (req: IRequest, env: Env, ctx: ExecutionContext): Promise<Response> => {
    const requestId = newRequestId(req);
    req.requestId = requestId;
    let response: Response;
    try {
      response = await handler(req, env, await identify(req, env), ctx);
    } catch (e) {
      await discardStream(req.body);
      // Refusals here (credentials, names, rate limits) reach no repository's record: logged on their own.
      const status = describe(e).status;
      const where = { method: req.method, path: new URL(req.url).pathname, requestId, status };
      if (status >= 500) log("error", "request failed", { ...where, ...errorFields(e) });
      else log("warn", "request refused", { ...where, error: describe(e).error });
      response = render(e);
      if (e instanceof RateLimited) response.headers.set("Retry-After", String(e.retryAfterSeconds));
    }
    const headers = new Headers(response.headers);
    headers.set(REQUEST_ID_HEADER, requestId);
    // A 401 from here or from the repository (a private one, read without credentials): git then asks for them.
    if (response.status === 401) headers.set("WWW-Authenticate", REALM);
    const text = response.status >= 400 && render === textErrorResponse && headers.get("Content-Type")?.startsWith("text/plain");
    const body = text ? `${await response.text()}${requestIdLine(requestId)}\n` : response.body;
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  };
}

/**
 * Sends the request to the repository's Durable Object, with the caller's principal (a gzipped body
 * is inflated there). `pushing`: the request may create the repository, if the caller may write to
 * it; any other request for an unknown name stops here, so that no object is created for nothing.
 */
async function forward(req: IRequest, env: Env, caller: Caller, pushing = false): Promise<Response> {
  const id = repoId(req.params.owner!, req.params.repo!);
  if (!id) throw new ApiError(400, "invalid repository name", "owner and repository are 1-100 characters of A-Z a-z 0-9 . _ -, not starting with '.', and a repository name may not end in .git");
  const api = new URL(req.url).pathname.startsWith("/api/");
  const principal = principalFor(caller, id, settings(env).auth);
  if (!(await repoExists(env, id))) {
    // The answer a missing repository gets from the repository's own check (gate.ts), without reaching it.
    checkAccess({ principal, name: id, exists: false, visibility: "private", needed: pushing ? "write" : api && req.method !== "GET" ? "admin" : "read", git: !api });
    if (!pushing) throw new ApiError(404, "repository not found");
  }
  const headers = new Headers(req.headers);
  headers.set(REPO_HEADER, id);
  headers.set(PRINCIPAL_HEADER, encodePrincipal(principal));
  // Only an import job's own push may claim to be one.
  headers.delete(IMPORT_HEADER);
  headers.set(REQUEST_ID_HEADER, String(req.requestId));
  const relay = req.body && relayBody(req.body);
  const body = relay?.stream ?? null;
  const stub = env.REPO.get(env.REPO.idFromName(id));
  try {
    // A redirect (raw/ of an LFS pointer) goes back to the client, not followed here.
    return await stub.fetch(new Request(req.url, { method: req.method, headers, body, redirect: "manual" }));
  } finally {
    await relay?.settle();
  }
}
