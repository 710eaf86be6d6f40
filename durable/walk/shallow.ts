// The boundary of a shallow fetch (technical-shallow.adoc): which commits become shallow, and which of
// the client's shallow commits the fetch takes past. Two rules, as git's upload-pack has them, so that
// the commits sent equal C git's: by depth (`deepen <n>`, also from the client's boundary with
// deepen-relative) and by a revision walk (`deepen-since`, `deepen-not`).
import { ProtocolError } from "../errors";
import type { CommitLinks } from "../pack/parse-object";
import { Pacer, WALK_OBJECTS } from "../pacing";
import { CommitHeap } from "./commit-heap";

/** Reads a commit's links; null when the commit is not stored. */
export type LinksOf = (oid: string) => Promise<CommitLinks | null>;

export interface Boundary {
  /** Commits whose parents are cut off. */
  shallow: Set<string>;
  /** Commits within the boundary: a client's shallow commit among them is unshallowed. */
  inside: Set<string>;
}

/**
 * git's get_shallow_commits: depth first from each head, a commit `depth` deep becomes shallow, and a
 * commit met again by a shorter path is walked again from there. A commit may end both shallow (by a
 * long path) and inside (by a short one); it then counts as inside, as git's send_shallow has it.
 */
export async function boundaryByDepth(heads: string[], depth: number, linksOf: LinksOf): Promise<Boundary> {
  const pacer = new Pacer(WALK_OBJECTS);
  const depths = new Map<string, number>();
  const shallow = new Set<string>();
  const inside = new Set<string>();
  const stack: string[] = [];
  let commit: string | null = null;
  let current = 0;
  for (let next = 0; commit !== null || next < heads.length || stack.length > 0; ) {
    if (commit === null) {
      if (next < heads.length) {
        commit = heads[next++];
        depths.set(commit, 0);
        current = 0;
      } else {
        commit = stack.pop()!;
        current = depths.get(commit)!;
      }
    }
    current++;
    await pacer.step();
    if (current >= depth) {
      shallow.add(commit);
      commit = null;
      continue;
    }
    inside.add(commit);
    const parents: string[] = (await linksOf(commit))?.parents ?? [];
    commit = null;
    for (let i = 0; i < parents.length; i++) {
      const parent: string = parents[i];
      const known = depths.get(parent);
      if (known !== undefined && current >= known) continue;
      depths.set(parent, current);
      if (i < parents.length - 1) stack.push(parent);
      else commit = parent;
    }
  }
  for (const c of inside) shallow.delete(c);
  return { shallow, inside };
}

/**
 * git's get_shallow_commits_by_rev_list: the commits `rev-list --max-age=<since> <wants> --not <nots>`
 * lists, newest first, and of those the ones with a parent outside the list are shallow. With no
 * `nots`, a commit older than `since` is passed by without walking its parents; with some, it is
 * uninteresting with all its ancestors, as rev-list's limited walk makes it.
 */
export async function boundaryByRevList(wants: string[], nots: string[], since: number | undefined, linksOf: LinksOf): Promise<Boundary> {
  const pacer = new Pacer(WALK_OBJECTS);
  const states = new Map<string, { links: CommitLinks; uninteresting: boolean; queued: boolean }>();
  const heap = new CommitHeap();
  let interesting = 0;
  const enqueue = async (oid: string, uninteresting: boolean) => {
    const known = states.get(oid);
    if (known) {
      if (uninteresting && !known.uninteresting) {
        known.uninteresting = true;
        if (known.queued) interesting--;
      }
      return;
    }
    const links = await linksOf(oid);
    if (!links) return;
    states.set(oid, { links, uninteresting, queued: true });
    heap.push(oid, links.time);
    if (!uninteresting) interesting++;
  };
  for (const oid of nots) await enqueue(oid, true);
  for (const oid of wants) await enqueue(oid, false);
  const listed: string[] = [];
  while (interesting > 0) {
    const oid = heap.pop()!;
    const state = states.get(oid)!;
    state.queued = false;
    if (!state.uninteresting) {
      interesting--;
      if (since !== undefined && state.links.time < since) {
        if (nots.length === 0) continue;
        state.uninteresting = true;
      }
    }
    for (const parent of state.links.parents) await enqueue(parent, state.uninteresting);
    if (!state.uninteresting) listed.push(oid);
    await pacer.step();
  }
  if (listed.length === 0) throw new ProtocolError("no commits selected for shallow requests");
  const inside = new Set(listed);
  const shallow = new Set<string>();
  for (const oid of listed) {
    if (states.get(oid)!.links.parents.some((p) => !inside.has(p))) shallow.add(oid);
  }
  for (const oid of shallow) inside.delete(oid);
  return { shallow, inside };
}
