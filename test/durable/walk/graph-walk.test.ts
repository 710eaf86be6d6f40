// The object walk (durable/walk/enumerate.ts) with the commit graph, on a history whose dates disagree
// with its parents (a have far newer than the want, a commit older than its parent): walked by
// generation it sends exactly what the wants reach minus what the haves reach, also with commits
// pushed since the graph's last run (numbered by the walk) on either side. The walk by date, before the graph
// is built, sends at least that (a skewed date can make it send commits the client has).
import { describe, expect, it } from "vitest";
import { inRepo } from "../../../bench/harness/in-repo";
import { buildCommitGraph, graphFor } from "../../../durable/graph/build";
import type { Repository } from "../../../durable/repository";
import { ObjectWalk } from "../../../durable/walk/enumerate";
import { parseCommit, parseTree } from "../../../durable/pack/parse-object";
import { OBJ_COMMIT, OBJ_TREE } from "../../../durable/pack/types";
import type { HandObject } from "../../support/hand-pack";
import { commitNamed, skewedHistory } from "../../support/hand-history";
import { seed, storeObjects } from "../../support/workerd/api";

async function sent(repo: Repository, wants: string[], haves: string[], withGraph: boolean): Promise<string[]> {
  const walk = new ObjectWalk(repo.store, null, withGraph ? graphFor(repo) : null);
  await walk.selectCommits(wants, haves);
  await walk.collectObjects();
  return walk.sending.oids().sort();
}

/** Every object the tips reach, read from the store. */
async function reachable(repo: Repository, tips: string[]): Promise<Set<string>> {
  const seen = new Set<string>();
  for (const stack = [...tips]; stack.length > 0; ) {
    const oid = stack.pop()!;
    if (seen.has(oid)) continue;
    seen.add(oid);
    const object = (await repo.store.read(oid))!;
    if (object.type === OBJ_COMMIT) {
      const links = parseCommit(object.data);
      stack.push(links.tree, ...links.parents);
    } else if (object.type === OBJ_TREE) stack.push(...parseTree(object.data).map((e) => e.oid));
  }
  return seen;
}

/** What the wants reach minus what the haves reach: each commit of the history has files of its own, so this is what a walk should send. */
async function exact(repo: Repository, wants: string[], haves: string[]): Promise<string[]> {
  const has = await reachable(repo, haves);
  return [...(await reachable(repo, wants))].filter((oid) => !has.has(oid)).sort();
}

describe("the object walk with the commit graph", () => {
  it("sends what the wants reach minus what the haves reach; by date, before the graph is built, at least that", async () => {
    await inRepo(async (repo) => {
      const objects: HandObject[] = [];
      const c = skewedHistory(objects);
      await storeObjects(repo, objects);
      seed(repo, { ref: "refs/heads/main", to: c.merge }, { ref: "refs/heads/have", to: c.h2 });
      const cases: [string[], string[]][] = [
        [[c.w2], [c.h2]],
        [[c.merge], [c.h2]],
        [[c.merge], [c.w1]],
        [[c.h2], [c.w2, c.m0]],
        [[c.merge, c.h2], []],
        [[c.m3], [c.h2]],
      ];
      const expected = await Promise.all(cases.map(([w, h]) => exact(repo, w, h)));
      expect(graphFor(repo)).toBeNull();
      for (const [i, [w, h]] of cases.entries()) expect(await sent(repo, w, h, false), `case ${i}`).toEqual(expect.arrayContaining(expected[i]!));
      expect(await buildCommitGraph(repo)).toBe(9);
      expect(graphFor(repo)).not.toBeNull();
      for (const [i, [w, h]] of cases.entries()) expect(await sent(repo, w, h, true), `case ${i}`).toEqual(expected[i]);
      // The first case: w1, w2, their trees and files; m3's snapshot (the edge) is the client's.
      expect(expected[0]).toHaveLength(8);
      expect(expected[5]).toEqual([]);
      // By date, the merge's walk meets m3 (through h1) before w1 (dated years earlier) marks it the
      // client's, and sends m0..m3 as well; by generation, w1 comes first.
      expect(await sent(repo, [c.merge], [c.w1], false)).toHaveLength(expected[2]!.length + 4 * 4);
    });
  });

  it("numbers commits pushed since the graph's last run, on either side, and still sends exactly", async () => {
    await inRepo(async (repo) => {
      const objects: HandObject[] = [];
      const c = skewedHistory(objects);
      await storeObjects(repo, objects);
      seed(repo, { ref: "refs/heads/main", to: c.m3 });
      expect(await buildCommitGraph(repo)).toBe(4);
      // Pushed after the run: rows for m0..m3 only.
      const later: HandObject[] = [];
      const w3 = commitNamed("w3", [c.merge], 1_500_000_000, later);
      const h3 = commitNamed("h3", [c.h2], 1_800_000_000, later);
      await storeObjects(repo, later);
      seed(repo, { ref: "refs/heads/main", to: w3 }, { ref: "refs/heads/have", to: h3 });
      for (const [w, h] of [[[w3], [h3]], [[h3], [w3]], [[w3], [c.m1]], [[c.w2], [h3]]] as [string[], string[]][]) {
        expect(await sent(repo, w, h, true), `${w} - ${h}`).toEqual(await exact(repo, w, h));
      }
      // w3, the merge, w2 and w1, each with its two trees and its file; m3 and h1 are the edge.
      expect(await sent(repo, [w3], [h3], true)).toHaveLength(4 * 4);
    });
  });
});
