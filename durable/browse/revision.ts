// Which commit a browse request names: a ref name as git's rev-parse expands it (main, v1.0,
// heads/main, refs/heads/main; tags before branches, as git does), or an object id (the full 40
// hex digits, or a unique prefix of at least 7), with annotated tags peeled; then any parent steps
// (main~2, HEAD^, v1^2). Refs are read from a
// view of the ref log: now, or as of an event (the `at` parameter), so any page can show the past.
import type { CommitGraph } from "../graph/commit-graph";
import { OBJ_COMMIT } from "../pack/types";
import type { ObjectStore } from "../store/objects";
import { readNode } from "./commit-node";

/** The refs as of one event of the log. */
export interface RefView {
  /** The last event the view includes. */
  seq: number;
  /** Whether it is the present (no `at`, or an `at` at or past the last event). */
  current: boolean;
  refs: RefNames;
  /** The ref HEAD points to. */
  head: string;
}

/** Refs by full name: looked up one at a time (a request names one or two), or all for a listing. */
export interface RefNames {
  get(name: string): string | undefined;
  has(name: string): boolean;
  all(): Map<string, string>;
}

/** A RefNames over a map already read. */
export function refNames(refs: Map<string, string>): RefNames {
  return { get: (name) => refs.get(name), has: (name) => refs.has(name), all: () => refs };
}

export interface Revision {
  /** The commit. */
  commit: string;
  /** The full ref name it was reached through, or null for an object id. */
  ref: string | null;
}

/** git's order of expansion for a short name (rev-parse's "ref_rev_parse_rules"). */
const RULES = ["%s", "refs/%s", "refs/tags/%s", "refs/heads/%s", "refs/remotes/%s"];

/** The commit `oid` peels to (an annotated tag's target, repeatedly), or null if it is not a commit in the end. */
export async function peelToCommit(store: ObjectStore, oid: string): Promise<string | null> {
  const { target, type } = await store.peelTags(oid);
  return type === OBJ_COMMIT ? target : null;
}

/** The full name `name` expands to in `view`, or null. */
export function expandRef(view: RefView, name: string): string | null {
  if (name === "HEAD") return view.refs.has(view.head) ? view.head : null;
  for (const rule of RULES) {
    const full = rule.replace("%s", name);
    if (view.refs.has(full)) return full;
  }
  return null;
}

/** `main~2`, `HEAD^`, `v1.0^2~1`: a revision, then parent steps (`~N`: N first parents; `^N`: the Nth parent). */
const ANCESTRY = /^(.+?)((?:[~^]\d{0,4})+)$/;

/** The revision `name` names, or null. Parent steps read the commit graph where it has the commits. */
export async function resolveRevision(store: ObjectStore, graph: CommitGraph, view: RefView, name: string): Promise<Revision | null> {
  const steps = ANCESTRY.exec(name);
  if (steps && !expandRef(view, name)) {
    const base = await resolveRevision(store, graph, view, steps[1]!);
    if (!base) return null;
    let commit: string | undefined = base.commit;
    for (const [, op, digits] of steps[2]!.matchAll(/([~^])(\d*)/g)) {
      const n = digits === "" ? 1 : Number(digits);
      for (let i = 0; commit && i < (op === "~" ? n : 1); i++) {
        const parents: string[] = (await readNode(store, graph, commit))?.parents ?? [];
        commit = op === "~" ? parents[0] : n === 0 ? commit : parents[n - 1];
      }
    }
    return commit ? { commit, ref: null } : null;
  }
  return resolveName(store, view, name);
}

async function resolveName(store: ObjectStore, view: RefView, name: string): Promise<Revision | null> {
  const ref = expandRef(view, name);
  if (ref) {
    const commit = await peelToCommit(store, view.refs.get(ref)!);
    return commit ? { commit, ref } : null;
  }
  if (!/^[0-9a-f]{7,40}$/.test(name)) return null;
  const oid = name.length === 40 ? name : store.uniquePrefix(name);
  const commit = oid && (await peelToCommit(store, oid));
  return commit ? { commit, ref: null } : null;
}

/**
 * A revision followed by a path in one string of segments (tree/{ref}/{path}, where a ref may hold
 * slashes): the longest leading run of segments that names a revision, and the rest as the path.
 */
export async function resolveRevisionPath(store: ObjectStore, graph: CommitGraph, view: RefView, segments: string[]): Promise<{ revision: Revision; name: string; path: string } | null> {
  for (let i = segments.length; i >= 1; i--) {
    const name = segments.slice(0, i).join("/");
    const revision = await resolveRevision(store, graph, view, name);
    if (revision) return { revision, name, path: segments.slice(i).join("/") };
  }
  return null;
}
