// GET branches and GET tags: each ref with its target and its tip commit's summary, the default
// branch and protected branches marked, sorted by name and paged by name (limit, cursor), as of
// `at` like every browse route.
import { currentSettings, settingsEventPage } from "../../access/repo-settings";
import { parseCommitInfo } from "../../browse/commit-info";
import type { RefView } from "../../browse/revision";
import { matchesAny } from "../../refs/policy";
import type { Repository } from "../../repository";
import { OBJ_COMMIT, OBJ_TAG } from "../../pack/types";
import { parseTag } from "../../pack/parse-object";
import type { ApiContext } from "../context";
import { badParameter, parseLimit, readQuery } from "../params";
import { commitSummaryJson } from "./commit-json";
import { cacheHeaders, json, notModified, refView } from "./view";

const QUERY = ["at", "limit", "cursor"] as const;

/** A page of the refs under `prefix`, by name after the cursor (the last name of the previous page, base64url). */
function refPage(refs: Map<string, string>, prefix: string, query: Map<string, string>): { names: string[]; nextCursor: string | null } {
  const limit = parseLimit(query.get("limit"));
  const cursor = query.get("cursor");
  let after = "";
  if (cursor !== undefined) {
    try {
      after = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    } catch {
      throw badParameter("cursor", "not a cursor this API issued (pass nextCursor back unchanged)");
    }
  }
  const names = [...refs.keys()].filter((r) => r.startsWith(prefix) && r.slice(prefix.length) > after).sort();
  const page = names.slice(0, limit);
  const last = page[page.length - 1];
  return { names: page, nextCursor: names.length > limit && last ? btoa(last.slice(prefix.length)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") : null };
}

async function tipSummary(repo: Repository, oid: string): Promise<Record<string, unknown> | null> {
  const { target, type } = await repo.store.peelTags(oid);
  if (type !== OBJ_COMMIT) return null;
  const object = await repo.store.read(target);
  return object ? commitSummaryJson(target, parseCommitInfo(object.data)) : null;
}

/**
 * What both listings start with: the view at `at`, its page of refs under `prefix`, and the cache
 * headers, or the 304 they earn. The answer depends on the ref log and on the settings (protection,
 * visibility): the ETag names the last event of each.
 */
function listing({ repo, request, url }: ApiContext, prefix: string): { view: RefView; refs: Map<string, string>; names: string[]; nextCursor: string | null; headers: Headers } | Response {
  const query = readQuery(url, QUERY);
  const view = refView(repo, query.get("at"));
  const settingsSeq = settingsEventPage(repo.sql, "desc", undefined, 1)[0]?.seq ?? 0;
  const headers = cacheHeaders(repo, `refs-${view.seq}-${settingsSeq}`, false);
  const cached = notModified(request, headers);
  if (cached) return cached;
  // Read once: a listing needs every name, and then each listed ref's target.
  const refs = view.refs.all();
  return { view, refs, headers, ...refPage(refs, prefix, query) };
}

export async function getBranches(ctx: ApiContext): Promise<Response> {
  const found = listing(ctx, "refs/heads/");
  if (found instanceof Response) return found;
  const { view, refs, names, nextCursor, headers } = found;
  const { repo } = ctx;
  const { protection } = currentSettings(repo.sql);
  const branches = [];
  for (const ref of names) {
    const target = refs.get(ref)!;
    const rules = protection.filter((r) => matchesAny(ref, [r.pattern]));
    branches.push({
      name: ref.slice("refs/heads/".length),
      ref,
      target,
      default: ref === view.head,
      protected: rules.length > 0,
      ...(rules.length > 0 ? { protection: { forcePush: rules.every((r) => r.forcePush), deletion: rules.every((r) => r.deletion) } } : {}),
      commit: await tipSummary(repo, target),
    });
  }
  return json({ seq: view.seq, default: view.head.slice("refs/heads/".length), branches, nextCursor }, headers);
}

export async function getTags(ctx: ApiContext): Promise<Response> {
  const found = listing(ctx, "refs/tags/");
  if (found instanceof Response) return found;
  const { view, refs, names, nextCursor, headers } = found;
  const { repo } = ctx;
  const tags = [];
  for (const ref of names) {
    const target = refs.get(ref)!;
    const loc = repo.store.locate(target);
    const data = loc?.type === OBJ_TAG ? (await repo.store.readAt(loc)).data : null;
    const text = data && new TextDecoder().decode(data);
    tags.push({
      name: ref.slice("refs/tags/".length),
      ref,
      target,
      annotated: data !== null,
      ...(data && text ? { object: parseTag(data).object, message: text.slice(text.indexOf("\n\n") + 2) } : {}),
      commit: await tipSummary(repo, target),
    });
  }
  return json({ seq: view.seq, tags, nextCursor }, headers);
}
