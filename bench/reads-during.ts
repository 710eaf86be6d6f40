// The reads-during operation: how long reads of a repository take while it is busy. For each
// server, a repository holding the corpus's oldest commit is sent the whole corpus, then cloned
// whole, then repacked (ours: housekeeping after a forced update; C git: `git repack -a -d`), while
// `git ls-remote` of the same repository runs in a loop. The rows are the slowest and the median of
// those reads during each, and the median of the same reads on the idle repository first.
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { git } from "./harness/git";
import type { CgitServer } from "./harness/server";
import { newRow } from "./compare-measure";
import type { CorpusRun } from "./compare-ops";
import type { OperationName } from "./compare-options";
import { repoUrl, type Side } from "./compare-sides";
import type { Measurement, Row } from "./compare-table";

const PAUSE_MS = 300;
const IDLE_READS = 10;

async function timedLsRemote(url: string, cwd: string): Promise<number> {
  const start = performance.now();
  await git(["ls-remote", url], { cwd });
  return (performance.now() - start) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
/** A latency as a row's measurement (no memory figures: the operations' own rows have them). */
const point = (seconds: number): Measurement => ({ seconds, memory: { idleBytes: 0, peakBytes: undefined } });

interface Busy {
  what: string;
  slowest: OperationName;
  median: OperationName;
  work(side: Side, url: string, name: string): Promise<unknown>;
}

export async function readsDuring(ctx: CorpusRun): Promise<void> {
  const { corpus, sides } = ctx;
  const row = (operation: OperationName): Row => {
    const made = newRow(corpus.name, operation);
    ctx.rows.push(made);
    return made;
  };
  const idle = row("reads-idle");
  const busy: Busy[] = [
    { what: "a full push", slowest: "reads-during", median: "reads-during-median", work: (_side, url) => git(["push", "--quiet", "--mirror", url], { cwd: corpus.dir }) },
    { what: "a full clone", slowest: "reads-during-clone", median: "reads-during-clone-median", work: (_side, url) => cloneAway(url, ctx.work) },
    { what: "a repack", slowest: "reads-during-repack", median: "reads-during-repack-median", work: (side, url, name) => repack(side, url, name, corpus.dir, corpus.branch) },
  ];
  const rows = busy.map((b) => ({ b, slowest: row(b.slowest), median: row(b.median) }));
  const { stdout } = await git(["rev-list", "--max-parents=0", "--reverse", corpus.branch], { cwd: corpus.dir });
  const root = stdout.split("\n")[0]!.trim();
  for (const side of sides) {
    const name = `${corpus.name}-reads`;
    const url = repoUrl(side, name);
    await git(["push", "--quiet", url, `${root}:${corpus.branch}`], { cwd: corpus.dir });
    const quiet: number[] = [];
    for (let i = 0; i < IDLE_READS; i++) quiet.push(await timedLsRemote(url, ctx.work));
    idle.runs[side.name].push(point(median(quiet)));
    for (const { b, slowest, median: middle } of rows) {
      const during = await readWhile(url, ctx.work, () => b.work(side, url, name));
      slowest.runs[side.name].push(point(Math.max(...during)));
      middle.runs[side.name].push(point(median(during)));
      console.error(`[${corpus.name}] reads during ${b.what} on ${side.name}: ${during.length} reads, slowest ${Math.max(...during).toFixed(3)} s, median ${median(during).toFixed(3)} s (idle ${median(quiet).toFixed(3)} s)`);
    }
  }
}

async function cloneAway(url: string, work: string): Promise<void> {
  const dir = await mkdtemp(join(work, "reads-clone-"));
  try {
    await git(["clone", "--quiet", "--bare", url, join(dir, "c.git")], { cwd: dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Ours: a forced update and back (so that the packs no longer hold exactly the reachable objects), then housekeeping; C git: git repack -a -d. */
async function repack(side: Side, url: string, name: string, dir: string, branch: string): Promise<void> {
  if (side.name === "cgit") {
    await git(["repack", "-a", "-d", "--quiet"], { cwd: join((side.server as CgitServer).root, "bench", `${name}.git`) });
    return;
  }
  await git(["push", "--quiet", "--force", url, `${branch}~1:${branch}`], { cwd: dir });
  await git(["push", "--quiet", url, `${branch}:${branch}`], { cwd: dir });
  const res = await fetch(`${side.server.url}/api/repos/bench/${name}/housekeeping`, { method: "POST" });
  const report = (await res.json()) as { repacked?: boolean; reason?: string };
  if (!report.repacked) throw new Error(`housekeeping did not repack: ${report.reason}`);
}

/** ls-remote every PAUSE_MS while `work` runs; the latency of each, the last one finished after it. */
async function readWhile(url: string, cwd: string, work: () => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  const loop = (async () => {
    while (!done) {
      latencies.push(await timedLsRemote(url, cwd));
      await new Promise((r) => setTimeout(r, PAUSE_MS));
    }
  })();
  try {
    await work();
  } finally {
    done = true;
    await loop;
  }
  return latencies;
}
