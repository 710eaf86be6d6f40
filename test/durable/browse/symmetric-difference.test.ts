// The symmetric difference (durable/browse/symmetric-difference.ts) on a history whose dates disagree
// with its parents: behind and ahead are exactly the commits only one tip reaches (computed here from
// the parents), listed in rev-list's order, and the merge base is a common ancestor no other common
// ancestor descends from; the same before the commit graph is built, with it, and with commits pushed
// since its last run on either side.
import { describe, expect, it } from "vitest";
import { inRepo } from "../../../bench/harness/in-repo";
import { readNode } from "../../../durable/browse/commit-node";
import { symmetricDifference } from "../../../durable/browse/symmetric-difference";
import { buildCommitGraph } from "../../../durable/graph/build";
import type { Repository } from "../../../durable/repository";
import type { HandObject } from "../../support/hand-pack";
import { commitNamed, skewedHistory } from "../../support/hand-history";
import { seed, storeObjects } from "../../support/workerd/api";

interface Known {
  parents: string[];
  time: number;
}

/** Every commit `tip` reaches, with its parents and date, read from the store. */
async function ancestry(repo: Repository, tip: string, into = new Map<string, Known>()): Promise<Map<string, Known>> {
  for (const stack = [tip]; stack.length > 0; ) {
    const oid = stack.pop()!;
    if (into.has(oid)) continue;
    const node = (await readNode(repo.store, repo.graph, oid))!;
    into.set(oid, { parents: node.parents, time: node.time });
    stack.push(...node.parents);
  }
  return into;
}

/**
 * `tip`'s own commits (those `other` lacks) as rev-list lists them: from the tip, the newest commit met
 * so far next, then its parents are met (no two dates are the same here).
 */
function revList(mine: Map<string, Known>, other: Map<string, Known>, tip: string): string[] {
  const listed: string[] = [];
  const met = other.has(tip) ? [] : [tip];
  while (met.length > 0) {
    met.sort((a, b) => mine.get(a)!.time - mine.get(b)!.time);
    const oid = met.pop()!;
    listed.push(oid);
    for (const p of mine.get(oid)!.parents) if (!other.has(p) && !listed.includes(p) && !met.includes(p)) met.push(p);
  }
  return listed;
}

/** What `base...head` should give: each side's own commits in rev-list's order, and the best common ancestors. */
async function expected(repo: Repository, base: string, head: string) {
  const left = await ancestry(repo, base);
  const right = await ancestry(repo, head);
  const common = [...left.keys()].filter((o) => right.has(o));
  // A best common ancestor: no other common ancestor has it among its own ancestors.
  const best = [];
  for (const c of common) {
    let below = false;
    for (const other of common) if (other !== c && (await ancestry(repo, other)).has(c)) below = true;
    if (!below) best.push(c);
  }
  return { behind: revList(left, right, base), ahead: revList(right, left, head), bases: best };
}

async function check(repo: Repository, pairs: [string, string][]): Promise<void> {
  for (const [base, head] of pairs) {
    const got = await symmetricDifference(repo.store, repo.graph, base, head);
    const want = await expected(repo, base, head);
    expect({ behind: got.behind, ahead: got.ahead }, `${base}...${head}`).toEqual({ behind: want.behind, ahead: want.ahead });
    expect(want.bases, `${base}...${head}`).toContain(got.mergeBase);
  }
}

describe("the symmetric difference of two histories", () => {
  it("is exact with skewed dates, before the commit graph is built, with it, and with commits pushed since", async () => {
    await inRepo(async (repo) => {
      const objects: HandObject[] = [];
      const c = skewedHistory(objects);
      await storeObjects(repo, objects);
      seed(repo, { ref: "refs/heads/main", to: c.merge }, { ref: "refs/heads/have", to: c.h2 });
      const pairs: [string, string][] = [
        [c.h2, c.merge],
        [c.merge, c.h2],
        [c.w2, c.h2],
        [c.m0, c.merge],
        [c.merge, c.m3],
        [c.m2, c.m2],
      ];
      await check(repo, pairs);
      expect(await buildCommitGraph(repo)).toBe(9);
      await check(repo, pairs);
      // Pushed after the run: no rows, and dated against their parents too.
      const later: HandObject[] = [];
      const w3 = commitNamed("w3", [c.merge], 1_500_000_000, later);
      const h3 = commitNamed("h3", [c.h2], 1_800_000_000, later);
      const both = commitNamed("both", [w3, h3], 1_650_000_000, later);
      await storeObjects(repo, later);
      await check(repo, [[w3, h3], [h3, w3], [c.w1, both], [both, c.m1], [h3, both]]);
      expect((await symmetricDifference(repo.store, repo.graph, c.h2, c.merge)).mergeBase).toBe(c.h1);
    });
  });
});
