// Nothing holds a repository hostage: `git ls-remote` of a repository in a loop while a large push
// of a generated history (many small objects, seconds of indexing) goes to the same repository.
// Every read succeeds, and none waits for the push to end: the slowest is far below the push's own
// time (a generous bound, a quarter of it, so that this is no timing test yet fails if reads queue
// behind the push).
import { join } from "node:path";
import { expect, it } from "vitest";
import { FastImport } from "../../bench/harness/fast-import";
import { git, initBare } from "../../bench/harness/git";
import { useHarness } from "../support/harness";
import { pushedWorkspace } from "../support/workspace";

const harness = useHarness();

it("answers ls-remote while a large push to the same repository runs", async () => {
  const ws = await pushedWorkspace(harness, "busy");
  const big = join(ws.dir, "big.git");
  await initBare(big);
  const history = new FastImport();
  let parent: number[] = [];
  for (let c = 0; c < 20; c++) {
    const changes = Array.from({ length: 2000 }, (_, i) => ({ path: `d${c}/f${i}.txt`, content: `commit ${c} file ${i} ${"x".repeat(i % 50)}\n` }));
    parent = [history.commit({ ref: "refs/heads/big", message: `Commit ${c}`, parents: parent, changes })];
  }
  await history.run(big);

  const latencies: number[] = [];
  let done = false;
  const reads = (async () => {
    while (!done) {
      const start = performance.now();
      await git(["ls-remote", ws.url], { cwd: ws.dir });
      latencies.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const start = performance.now();
  await git(["push", "--quiet", ws.url, "refs/heads/big:refs/heads/big"], { cwd: big });
  const pushMs = performance.now() - start;
  done = true;
  await reads;

  expect(latencies.length).toBeGreaterThan(3);
  expect(Math.max(...latencies), `push ${Math.round(pushMs)} ms, reads ${latencies.map(Math.round).join(" ")}`).toBeLessThan(pushMs / 4);
});
