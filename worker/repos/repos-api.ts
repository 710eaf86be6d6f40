// Repositories as a resource, served from the registry with each repository's Durable Object:
// POST /api/repos creates one (409 when the name is taken, by a repository or by a deleted one not
// yet purged); POST .../forks creates one as a copy of another, POST .../import as a copy of a
// remote repository; GET /api/repos lists those the caller may read, by name, paged; DELETE
// /api/repos/{owner}/{repo} deletes one softly (it answers 404 at once and is purged after
// REPO_RETENTION_DAYS); POST .../undelete brings it back; GET /api/registry-log is the registry's
// log of creations, deletions, undeletions and purges. The registry is the truth and is written
// first; the repository follows, and the scheduled job repeats what a request cut short left undone.
import { checkAccess } from "../../durable/access/gate";
import { atLeast, type Principal } from "../../durable/access/principal";
import type { Visibility } from "../../durable/access/repo-settings";
import { readJsonObject } from "../../durable/api/body";
import { parseDescription } from "../../durable/api/repo";
import { isoTime } from "../../durable/api/event-json";
import { badParameter, page, PAGING_PARAMS, parseLimit, parsePaging, readQuery } from "../../durable/api/params";
import { ApiError, AuthRequired } from "../../durable/errors";
import { deletedRefusal } from "../../durable/lifecycle/deleted";
import type { RepoSpec } from "../../durable/lifecycle/set-up";
import { checkRefName } from "../../durable/protocol/refname";
import { registry, type RepoEntry, type RepoEvent } from "../../durable/registry/registry-object";
import type { ForkMessage, ImportMessage } from "../../durable/repo-object";
import { outboundUrlProblem } from "../../durable/hooks/public-url";
import { principalFor, type Caller } from "../auth/caller";
import type { Env } from "../env";
import { NAME, repoId } from "../names";
import { settings } from "../settings";

const FIELDS = ["owner", "name", "visibility", "defaultBranch", "description"];

function principal(caller: Caller, name: string, env: Env): Principal {
  return principalFor(caller, name, settings(env).auth);
}

function entryJson(e: RepoEntry, origin: string, retentionMs: number): Record<string, unknown> {
  const json: Record<string, unknown> = {
    name: e.name,
    visibility: e.visibility,
    description: e.description,
    defaultBranch: e.defaultBranch,
    hotBytes: e.hotBytes,
    archivedBytes: e.archivedBytes,
    lastPushAt: e.lastPushAt === null ? null : isoTime(e.lastPushAt),
    cloneUrl: `${origin}/${e.name}.git`,
    mirrorUrl: e.mirrorUrl,
  };
  if (e.deletedAt !== null) Object.assign(json, { deletedAt: isoTime(e.deletedAt), purgeAt: isoTime(e.deletedAt + retentionMs) });
  return json;
}

function parseRepoSpec(body: Record<string, unknown>): { name: string; spec: RepoSpec } {
  for (const key of Object.keys(body)) if (!FIELDS.includes(key)) throw badParameter(key, `unknown field; the body has ${FIELDS.join(", ")}`);
  const { owner, name, visibility = "private", defaultBranch = "main", description = "" } = body;
  if (typeof owner !== "string" || !NAME.test(owner)) throw badParameter("owner", "1-100 characters of A-Z a-z 0-9 . _ -, not starting with '.'");
  if (typeof name !== "string") throw badParameter("name", "the repository's name is required");
  const id = repoId(owner, name);
  if (!id) throw badParameter("name", "1-100 characters of A-Z a-z 0-9 . _ -, not starting with '.', and not ending in .git");
  if (visibility !== "public" && visibility !== "private") throw badParameter("visibility", `must be "public" or "private", got ${JSON.stringify(visibility)}`);
  const branchProblem = typeof defaultBranch === "string" ? checkRefName(`refs/heads/${defaultBranch}`) : "must be a branch name";
  if (branchProblem) throw badParameter("defaultBranch", branchProblem);
  return { name: id, spec: { visibility: visibility as Visibility, defaultBranch: defaultBranch as string, description: parseDescription(description) } };
}

/** Registers `name` for `by`, who needs write on it; `setUp` then creates it in its object. 409 when the name is taken. */
async function create(name: string, by: Principal, caller: Caller, env: Env, setUp: () => Promise<boolean>): Promise<void> {
  if (by.writesLocked) throw new ApiError(403, by.writesLocked);
  if (!by.presented && caller.kind !== "open") throw new AuthRequired(`authentication required: creating ${name} needs a token with write access to it`);
  if (!atLeast(by.access, "write")) throw new ApiError(403, `this token cannot create ${name}: its repository patterns do not cover it, or it lacks the write scope`);
  const creation = await registry(env).create(name, by);
  if (creation.status === "deleted") throw new ApiError(409, deletedRefusal(name, creation.deletedAt, settings(env).retentionMs));
  // A name the registry had already is a repository that exists, unless the request that registered it ended before the repository was set up.
  if (!(await setUp())) throw new ApiError(409, `${name} exists already`);
}

export async function postRepo(request: Request, env: Env, caller: Caller): Promise<Response> {
  const { name, spec } = parseRepoSpec(await readJsonObject(request, settings(env).limits.apiBodyBytes));
  const by = principal(caller, name, env);
  await create(name, by, caller, env, () => env.REPO.get(env.REPO.idFromName(name)).setUp(name, spec, by));
  return answer(name, request, env, 201);
}

/**
 * POST /api/repos/{owner}/{repo}/forks {"owner", "name"}: a new repository with the source's
 * visibility, description, refs and objects, copied by a fork job; it says "state": "forking" until
 * the copy is done. The caller needs read on the source and write on the new name.
 */
export async function postFork(owner: string, repo: string, request: Request, env: Env, caller: Caller): Promise<Response> {
  const body = await readJsonObject(request, settings(env).limits.apiBodyBytes);
  for (const key of Object.keys(body)) if (key !== "owner" && key !== "name") throw badParameter(key, "unknown field; the body has owner, name");
  const source = repoId(owner, repo);
  if (!source) throw new ApiError(400, "invalid repository name");
  const entry = await registry(env).find(source);
  const reader = principal(caller, source, env);
  checkAccess({ principal: reader, name: source, exists: entry !== null && entry.deletedAt === null, visibility: entry?.visibility ?? "private", needed: "read", git: false });
  if (!entry || entry.deletedAt !== null) throw new ApiError(404, "repository not found");
  const { name, spec } = parseRepoSpec({ ...body, visibility: entry.visibility, description: entry.description, defaultBranch: entry.defaultBranch });
  const by = principal(caller, name, env);
  await create(name, by, caller, env, () => env.REPO.get(env.REPO.idFromName(name)).setUpFork(name, spec, by, source));
  await env.FORK_QUEUE.send({ source, target: name, by } satisfies ForkMessage);
  return answer(name, request, env, 202);
}

/**
 * POST /api/repos/{owner}/{repo}/import {"url", "token"?, "mirror"?, "visibility"?}: a new repository
 * filled by an import job with every branch and tag of the remote at `url` (smart HTTP, protocol v2
 * or v0); GET .../import shows the job's state. The caller needs write on the name. The token, if
 * any, is given to the remote as a Basic password; a one-time import keeps it only in the job's
 * message, a mirror (fetched again by each scheduled run) in its own storage.
 */
export async function postImport(owner: string, repo: string, request: Request, env: Env, caller: Caller): Promise<Response> {
  const body = await readJsonObject(request, settings(env).limits.apiBodyBytes);
  for (const key of Object.keys(body)) if (!["url", "token", "mirror", "visibility"].includes(key)) throw badParameter(key, "unknown field; the body has url, token, mirror, visibility");
  if (typeof body.url !== "string") throw badParameter("url", "the remote repository's http or https URL is required");
  const problem = outboundUrlProblem(body.url, settings(env).outbound.allowPrivateUrls);
  if (problem) throw badParameter("url", problem);
  if (body.token !== undefined && (typeof body.token !== "string" || body.token === "")) throw badParameter("token", "a non-empty string");
  if (body.mirror !== undefined && typeof body.mirror !== "boolean") throw badParameter("mirror", "true or false");
  const { name, spec } = parseRepoSpec({ owner, name: repo, ...(body.visibility === undefined ? {} : { visibility: body.visibility }) });
  const by = principal(caller, name, env);
  const source: ImportMessage = { target: name, url: body.url, token: body.token as string | undefined, by };
  await create(name, by, caller, env, () => env.REPO.get(env.REPO.idFromName(name)).setUpImport(spec, source, body.mirror === true));
  await env.IMPORT_QUEUE.send(source);
  return answer(name, request, env, 202);
}

/** Listing cursors: the last name of a page, base64url. */
function encodeNameCursor(name: string): string {
  return btoa(`name:${name}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeNameCursor(text: string): string {
  try {
    const plain = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    if (plain.startsWith("name:")) return plain.slice(5);
  } catch {
    // Not base64: refused below.
  }
  throw badParameter("cursor", "not a cursor this API issued (pass nextCursor back unchanged)");
}

export async function getRepos(request: Request, env: Env, caller: Caller): Promise<Response> {
  const url = new URL(request.url);
  const query = readQuery(url, ["owner", "cursor", "limit", "deleted"]);
  const owner = query.get("owner");
  if (owner !== undefined && !NAME.test(owner)) throw badParameter("owner", "not a valid owner name");
  const deleted = query.get("deleted");
  if (deleted !== undefined && deleted !== "true" && deleted !== "false") throw badParameter("deleted", "must be true or false");
  const limit = parseLimit(query.get("limit"));
  const cursor = query.get("cursor");
  // Deleted repositories are listed to whoever may undelete them; the others to whoever may read them.
  const needed = deleted === "true" ? "admin" : "read";
  const visible = (e: RepoEntry) => atLeast(principal(caller, e.name, env).access, needed) || (needed === "read" && e.visibility === "public");
  const repos: RepoEntry[] = [];
  let after = cursor === undefined ? undefined : decodeNameCursor(cursor);
  let more = true;
  while (repos.length <= limit && more) {
    const batch = await registry(env).list({ owner, after, limit: limit + 1, deleted: deleted === "true" });
    more = batch.length === limit + 1;
    after = batch[batch.length - 1]?.name;
    repos.push(...batch.filter(visible));
  }
  const items = repos.slice(0, limit);
  const nextCursor = repos.length > limit ? encodeNameCursor(items[items.length - 1]!.name) : null;
  const retention = settings(env).retentionMs;
  return Response.json({ repos: items.map((e) => entryJson(e, url.origin, retention)), nextCursor });
}

/** The registry's entry for a route's repository, deleted or not, once the caller's admin access is checked (404 when it may not know of it). */
async function adminEntry(owner: string, repo: string, env: Env, caller: Caller): Promise<{ name: string; by: Principal; entry: RepoEntry }> {
  const name = repoId(owner, repo);
  if (!name) throw new ApiError(400, "invalid repository name");
  const by = principal(caller, name, env);
  const entry = await registry(env).find(name);
  // A deleted repository is private to its admins.
  const visibility = entry?.deletedAt === null ? entry.visibility : "private";
  checkAccess({ principal: by, name, exists: entry !== null, visibility, needed: "admin", git: false });
  if (!entry) throw new ApiError(404, "repository not found");
  return { name, by, entry };
}

async function answer(name: string, request: Request, env: Env, status = 200): Promise<Response> {
  const entry = (await registry(env).find(name))!;
  return Response.json(entryJson(entry, new URL(request.url).origin, settings(env).retentionMs), { status });
}

export async function deleteRepo(owner: string, repo: string, request: Request, env: Env, caller: Caller): Promise<Response> {
  const { name, by, entry } = await adminEntry(owner, repo, env, caller);
  if (entry.deletedAt !== null || !(await registry(env).delete(name, by))) throw new ApiError(404, "repository not found");
  await env.REPO.get(env.REPO.idFromName(name)).setDeleted(true, by);
  return answer(name, request, env);
}

/** Brings a deleted repository back; for one that exists, only repeats the repository's part (an undelete cut short between the two). */
export async function undeleteRepo(owner: string, repo: string, request: Request, env: Env, caller: Caller): Promise<Response> {
  const { name, by, entry } = await adminEntry(owner, repo, env, caller);
  if (entry.deletedAt !== null) await registry(env).undelete(name, by);
  await env.REPO.get(env.REPO.idFromName(name)).setDeleted(false, by);
  return answer(name, request, env);
}

function repoEventJson(e: RepoEvent): Record<string, unknown> {
  return { seq: e.seq, kind: e.kind, repo: e.repo, actor: e.actor, actorId: e.actorId, at: isoTime(e.at) };
}

/** GET /api/registry-log: the admin sees every event; a token, those of the repositories it may administer. */
export async function getRegistryLog(request: Request, env: Env, caller: Caller): Promise<Response> {
  const query = readQuery(new URL(request.url), [...PAGING_PARAMS, "repo"]);
  if (caller.kind === "anonymous") throw new AuthRequired("authentication required: the registry log needs a token with the admin scope");
  const paging = parsePaging(query);
  const repo = query.get("repo");
  if (repo !== undefined && !/^[^/]+\/[^/]+$/.test(repo)) throw badParameter("repo", "owner/name of one repository");
  const allowed = (e: RepoEvent) => atLeast(principal(caller, e.repo, env).access, "admin");
  const events: RepoEvent[] = [];
  let after = paging.after;
  let more = true;
  while (events.length <= paging.limit && more) {
    const batch = await registry(env).events(paging.order, after, paging.limit + 1, repo);
    more = batch.length === paging.limit + 1;
    after = batch[batch.length - 1]?.seq;
    events.push(...batch.filter(allowed));
  }
  const { items, nextCursor } = page(events, paging);
  return Response.json({ events: items.map(repoEventJson), nextCursor });
}
