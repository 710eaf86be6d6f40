// GET commits: a branch's history newest first, as `git log` lists it, optionally limited to a path
// (with git's history simplification), an author and a time range, 30 a page (limit up to 100); the
// next page's cursor is in nextCursor and in a Link header, as GitHub pages. GET commits/{rev}: one
// commit, with the files it changed against its first parent (renames found, patches and line counts
// within caps).
import { parseCommitInfo } from "../../browse/commit-info";
import { diffTrees } from "../../browse/diff";
import { history } from "../../browse/history";
import { rootTree } from "../../browse/tree-path";
import { ApiError } from "../../errors";
import { OBJ_COMMIT } from "../../pack/types";
import type { ApiContext } from "../context";
import { badParameter, parseTime, readQuery } from "../params";
import { commitJson } from "./commit-json";
import { cacheHeaders, json, notModified, refView, revisionOf } from "./view";

const DEFAULT_PAGE = 30;
const MAX_PAGE = 100;
/** How deep paging goes: each page walks from the tip again (git log --skip), so this bounds a request's walk. */
const MAX_SKIP = 100_000;

function pageSize(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PAGE;
  const n = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_PAGE)) throw badParameter("limit", `must be an integer from 1 to ${MAX_PAGE}, got ${JSON.stringify(value)}`);
  return n;
}

function encodeSkip(skip: number): string {
  return btoa(`skip:${skip}`).replace(/=+$/, "");
}

function decodeSkip(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  let text = "";
  try {
    text = atob(cursor);
  } catch {
    // answered below
  }
  const m = /^skip:(\d{1,6})$/.exec(text);
  if (!m || Number(m[1]) > MAX_SKIP) throw badParameter("cursor", "not a cursor this API issued (pass nextCursor back unchanged)");
  return Number(m[1]);
}

/** A repository path as the API takes it: no leading or trailing "/", no empty, "." or ".." segment. */
export function repoPath(value: string | undefined, name = "path"): string {
  if (value === undefined || value === "") return "";
  const trimmed = value.replace(/^\/+|\/+$/g, "");
  if (trimmed.split("/").some((s) => s === "" || s === "." || s === "..")) throw badParameter(name, `not a path in the repository: ${JSON.stringify(value)}`);
  return trimmed;
}

export async function getCommits({ repo, request, url }: ApiContext): Promise<Response> {
  const query = readQuery(url, ["ref", "path", "author", "since", "until", "limit", "cursor", "at"]);
  const view = refView(repo, query.get("at"));
  const revision = await revisionOf(repo, view, query.get("ref"));
  const headers = cacheHeaders(repo, revision.commit, false);
  const cached = notModified(request, headers);
  if (cached) return cached;
  const since = query.get("since");
  const until = query.get("until");
  const limit = pageSize(query.get("limit"));
  const skip = decodeSkip(query.get("cursor"));
  const page = await history(repo.store, repo.graph, {
    tips: [revision.commit],
    path: repoPath(query.get("path")),
    author: query.get("author"),
    since: since === undefined ? undefined : Math.floor(parseTime("since", since) / 1000),
    until: until === undefined ? undefined : Math.floor(parseTime("until", until) / 1000),
    skip,
    limit,
  });
  const nextCursor = page.more ? encodeSkip(skip + limit) : null;
  if (nextCursor) {
    const next = new URL(url);
    next.searchParams.set("cursor", nextCursor);
    headers.set("Link", `<${next.pathname}${next.search}>; rel="next"`);
  }
  return json({ seq: view.seq, ref: revision.ref, commit: revision.commit, commits: page.commits.map((c) => commitJson(c.oid, c.info)), nextCursor }, headers);
}

export async function getCommit({ repo, request, url, params }: ApiContext): Promise<Response> {
  const query = readQuery(url, ["at"]);
  const view = refView(repo, query.get("at"));
  const revision = await revisionOf(repo, view, params.oid);
  // Named by its full id, the answer never changes.
  const headers = cacheHeaders(repo, revision.commit, params.oid === revision.commit);
  const cached = notModified(request, headers);
  if (cached) return cached;
  const object = await repo.store.read(revision.commit);
  if (object?.type !== OBJ_COMMIT) throw new ApiError(404, `no commit '${params.oid}'`);
  const info = parseCommitInfo(object.data);
  const parent = info.parents[0];
  const { files, truncated } = await diffTrees(repo.store, parent === undefined ? null : await rootTree(repo.store, parent), info.tree);
  const stats = { files: files.length, additions: files.reduce((n, f) => n + f.additions, 0), deletions: files.reduce((n, f) => n + f.deletions, 0) };
  return json({ ...commitJson(revision.commit, info), stats, files, truncated }, headers);
}
