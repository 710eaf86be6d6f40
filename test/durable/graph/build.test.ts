// The commit graph (durable/graph/) over a hand-built history with directories, a merge, a mode
// change, a file that becomes a directory and a shallow boundary: every reachable commit gets a row
// with its parents, tree, time and generation; each row's filter holds every path that differs from
// the first parent (computed here from the trees as written); a run resumes where rows end; a ref
// change since the last run marks the graph behind; and the alarm after a write builds it while a
// repack keeps its own time.
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { inRepo } from "../../../bench/harness/in-repo";
import { mayHaveChanged, pathKeys } from "../../../durable/graph/bloom";
import { buildCommitGraph, graphBehind, missingTips } from "../../../durable/graph/build";
import type { Repository } from "../../../durable/repository";
import type { HandObject } from "../../support/hand-pack";
import { commitOf, trees, type Files } from "../../support/hand-history";
import { restoredRepo, seed, storeObjects } from "../../support/workerd/api";

/** The paths that differ between two file maps, with their leading directories. */
function expectedPaths(before: Files, after: Files): Set<string> {
  const paths = new Set<string>();
  for (const path of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[path]) !== JSON.stringify(after[path])) for (const k of pathKeys(path)) paths.add(k);
  }
  return paths;
}

const F = "100644";
const states: Files[] = [
  { "README.md": [F, "hello\n"], "src/a.ts": [F, "a\n"], "src/lib/b.ts": [F, "b\n"] },
  { "README.md": [F, "hello\n"], "src/a.ts": [F, "a2\n"], "src/lib/b.ts": [F, "b\n"] },
  { "README.md": [F, "hello\n"], "src/a.ts": [F, "a2\n"], "src/lib/b.ts": [F, "b\n"], "docs/x.md": [F, "x\n"] },
  { "README.md": ["100755", "hello\n"], "src/a.ts": [F, "a\n"], "src/lib/b.ts": [F, "b2\n"] },
  { "README.md": [F, "hello\n"], "src/a.ts": [F, "a2\n"], "src/lib/b.ts": [F, "b2\n"], "docs/x.md": [F, "x\n"] },
  { "README.md/inner": [F, "now a directory\n"], "src/a.ts": [F, "a2\n"], "src/lib/b.ts": [F, "b2\n"], "docs/x.md": [F, "x\n"] },
];

interface History {
  oids: string[];
  parents: number[][];
}

/** c0 ← c1 ← c2, c0 ← c3 (a side branch), c4 = merge(c2, c3), c5 on c4; returns the pack's objects. */
async function storeHistory(repo: Repository): Promise<History> {
  const objects: HandObject[] = [];
  const parents = [[], [0], [1], [0], [2, 3], [4]];
  const oids: string[] = [];
  states.forEach((files, i) => oids.push(commitOf(trees(files, objects), parents[i]!.map((p) => oids[p]!), 1_700_000_000 + i * 60, objects)));
  await storeObjects(repo, objects);
  return { oids, parents };
}

describe("the commit graph", () => {
  it("has a row for every reachable commit: parents, tree, time, generation, and a filter of its changed paths", async () => {
    await inRepo(async (repo) => {
      const { oids, parents } = await storeHistory(repo);
      seed(repo, { ref: "refs/heads/main", to: oids[5]! }, { ref: "refs/heads/side", to: oids[3]! });
      expect(await missingTips(repo)).toHaveLength(2);
      expect(graphBehind(repo)).toBe(true);
      expect(await buildCommitGraph(repo)).toBe(6);
      expect(await missingTips(repo)).toEqual([]);
      expect(graphBehind(repo)).toBe(false);
      expect(repo.graph.size()).toBe(6);
      const generations = [1, 2, 3, 2, 4, 5];
      oids.forEach((oid, i) => {
        const row = repo.graph.get(oid)!;
        expect(row.parents).toEqual(parents[i]!.map((p) => oids[p]));
        expect(row.time).toBe(1_700_000_000 + i * 60);
        expect(row.generation).toBe(generations[i]);
        const changed = expectedPaths(i === 0 ? {} : states[parents[i]![0]!]!, states[i]!);
        for (const path of changed) expect(mayHaveChanged(row.bloom, path), `${i}: ${path}`).toBe(true);
      });
      // What the filters rule out: the merge brought only the side branch's changes to c2.
      const merge = repo.graph.get(oids[4]!)!;
      expect(mayHaveChanged(merge.bloom, "docs/x.md")).toBe(false);
      expect(mayHaveChanged(repo.graph.get(oids[1]!)!.bloom, "src/lib/b.ts")).toBe(false);
      expect(mayHaveChanged(repo.graph.get(oids[3]!)!.bloom, "README.md")).toBe(true);
      expect(mayHaveChanged(repo.graph.get(oids[5]!)!.bloom, "README.md/inner")).toBe(true);
      // A second run has nothing to add.
      expect(await buildCommitGraph(repo)).toBe(0);
    });
  });

  it("goes on from the rows a run left, and counts a commit past a shallow boundary as generation 0", async () => {
    await inRepo(async (repo) => {
      const { oids } = await storeHistory(repo);
      seed(repo, { ref: "refs/heads/main", to: oids[2]! });
      expect(await buildCommitGraph(repo)).toBe(3);
      seed(repo, { ref: "refs/heads/main", to: oids[5]!, kind: "force" });
      expect(await buildCommitGraph(repo)).toBe(3);
      expect(repo.graph.get(oids[5]!)!.generation).toBe(5);
      // Deleting the ref leaves rows that stay true: they describe commits, not refs.
      seed(repo, { ref: "refs/heads/main", to: "0".repeat(40) });
      expect(graphBehind(repo)).toBe(true);
      expect(await missingTips(repo)).toEqual([]);
      expect(repo.graph.size()).toBe(6);
    });
    await inRepo(async (repo) => {
      const objects: HandObject[] = [];
      const missing = "1".repeat(40);
      const tip = commitOf(trees(states[0]!, objects), [missing], 1_700_000_000, objects);
      await storeObjects(repo, objects);
      seed(repo, { ref: "refs/heads/main", to: tip });
      expect(await buildCommitGraph(repo)).toBe(1);
      expect(repo.graph.get(tip)).toMatchObject({ parents: [missing], generation: 1, bloom: null });
      expect(repo.graph.get(missing)).toBeUndefined();
    });
  });

  it("is built by the alarm soon after a write, while the repack that write calls for keeps its own time", async () => {
    const { name, stub, commits, alarm } = await restoredRepo();
    expect(await alarm()).toBeLessThan(Date.now() + 60_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await inRepo(async (repo) => {
      expect(await missingTips(repo)).toEqual([]);
      // Restored to the first event: main is at commits[2], which reaches the four oldest.
      expect(repo.graph.size()).toBe(commits.length - 2);
      // The restore moved main backwards: the repack waits for its own time, minutes away.
      expect(repo.packs.all().filter((p) => p.state === "live")).toHaveLength(1);
    }, name);
    expect(await alarm()).toBeGreaterThan(Date.now() + 60_000);
  });
});
