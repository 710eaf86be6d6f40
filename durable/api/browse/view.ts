// What every browse route starts with: the refs as of `at` (an event seq or an ISO time, as GET
// refs?at= takes it), the revision a route names resolved in them (404 naming what was not found),
// and the caching headers: an answer named by an object id never changes (strong ETag, immutable);
// one named by a ref is answered 304 on a matching If-None-Match once the ref is resolved, before
// any object is read.
import { currentSettings } from "../../access/repo-settings";
import { refsAsOf, seqAtTime } from "../../refs/as-of";
import type { Repository } from "../../repository";
import { ApiError } from "../../errors";
import { refNames, resolveRevision, resolveRevisionPath, type RefNames, type RefView, type Revision } from "../../browse/revision";
import { parseAt } from "../params";

/** The refs now, or as of `at`. */
export function refView(repo: Repository, at: string | undefined): RefView {
  const last = repo.refs.lastSeq();
  let seq = last;
  if (at !== undefined) {
    const point = parseAt(at);
    seq = Math.min(last, "seq" in point ? point.seq : seqAtTime(repo.sql, point.time));
  }
  const current = seq === last;
  // The present is read a ref at a time: a repository may have thousands, and a route names one or two.
  const refs: RefNames = current ? { get: (name) => repo.refs.get(name) ?? undefined, has: (name) => repo.refs.get(name) !== null, all: () => repo.refs.all() } : refNames(refsAsOf(repo.sql, seq));
  return { seq, current, refs, head: repo.refs.head() };
}

function notFound(name: string, view: RefView): ApiError {
  return new ApiError(404, `no branch, tag or commit '${name}'${view.current ? "" : ` as of event ${view.seq}`}`);
}

/** The revision `name` names in `view` (HEAD's branch when `name` is absent), or 404. */
export async function revisionOf(repo: Repository, view: RefView, name: string | undefined): Promise<Revision> {
  const revision = await resolveRevision(repo.store, repo.graph, view, name ?? "HEAD");
  if (!revision) throw name === undefined ? new ApiError(404, "the repository has no default branch yet", `HEAD points to ${view.head}, which does not exist${view.current ? "" : ` as of event ${view.seq}`}`) : notFound(name, view);
  return revision;
}

/** A revision and a path from one run of segments ({ref}/{path}), or 404. */
export async function revisionAndPath(repo: Repository, view: RefView, rest: string): Promise<{ revision: Revision; name: string; path: string }> {
  const found = await resolveRevisionPath(repo.store, repo.graph, view, rest.split("/"));
  if (!found) throw notFound(rest.split("/")[0]!, view);
  return found;
}

/** Cache headers of an answer that depends only on `etag` (an object id, or the log's seq for ref listings). */
export function cacheHeaders(repo: Repository, etag: string, immutable: boolean): Headers {
  const visibility = currentSettings(repo.sql).visibility === "public" ? "public" : "private";
  return new Headers({ ETag: `"${etag}"`, "Cache-Control": immutable ? `${visibility}, max-age=31536000, immutable` : `${visibility}, no-cache` });
}

/** 304 when the request's If-None-Match holds `headers`' ETag, else null. */
export function notModified(request: Request, headers: Headers): Response | null {
  const tags = request.headers.get("If-None-Match");
  if (!tags || !tags.split(",").some((t) => t.trim() === headers.get("ETag") || t.trim() === "*")) return null;
  return new Response(null, { status: 304, headers });
}

/** The JSON answer with `headers`. */
export function json(body: unknown, headers: Headers): Response {
  headers.set("Content-Type", "application/json");
  return new Response(JSON.stringify(body), { headers });
}
