// What every repository page knows: the repository's API as its viewer may read it, the moment it
// shows (`at`, resolved to an event of the ref log, kept in every link), and the parts of its URL.
import type { IRequest } from "itty-router";
import type { Env } from "../env";
import { repoApi, viewer, type RepoApi } from "./data";
import { page, type Html, type Layout } from "./html";

export interface PageContext {
  api: RepoApi;
  url: URL;
  /** The ref-log event the page shows, when it shows the past. */
  seq: number | null;
  /** "?at=<seq>" when the page shows the past, else "": appended to every link. */
  keep: string;
  /** "&at=<seq>" or "", for links that have a query already. */
  keepAnd: string;
  /** The API's own `at` parameter, to append to API paths. */
  at: string;
  signedIn: boolean;
  render(l: Omit<Layout, "repo" | "keep" | "past" | "signedIn"> & { body: Html }): Response;
}

export async function pageContext(req: IRequest, env: Env): Promise<PageContext> {
  const url = new URL(req.url);
  const { caller, signedIn } = await viewer(req, env);
  const api = await repoApi(env, caller, req.params.owner!, req.params.repo!, String(req.requestId));
  const asked = url.searchParams.get("at");
  let seq: number | null = null;
  if (asked) {
    const refs = await api.get<{ seq: number }>(`refs?at=${encodeURIComponent(asked)}`);
    const now = await api.get<{ seq: number }>("refs");
    seq = refs.seq < now.seq ? refs.seq : null;
  }
  const keep = seq === null ? "" : `?at=${seq}`;
  const now = new URL(url);
  now.searchParams.delete("at");
  return {
    api,
    url,
    seq,
    keep,
    keepAnd: seq === null ? "" : `&at=${seq}`,
    at: seq === null ? "" : `at=${seq}`,
    signedIn,
    render: (l) => page({ ...l, repo: api.id, keep, signedIn, past: seq === null ? undefined : { seq, at: asked && asked !== String(seq) ? asked : null, nowHref: `${now.pathname}${now.search}` } }),
  };
}

/** `path` with the page's `at` appended as a query parameter. */
export function withAt(ctx: PageContext, path: string): string {
  if (!ctx.at) return path;
  return `${path}${path.includes("?") ? "&" : "?"}${ctx.at}`;
}
