// The reads-during operation: how long reads of a repository take while it is busy. For each
// server, a repository holding the corpus's oldest commit (on its branch and on a small branch) is
// sent the whole corpus, then cloned whole, then repacked (ours: housekeeping after a forced update;
// C git: `git repack -a -d`), while `git ls-remote` and a one-branch clone of the small branch of the
// same repository run in a loop. The rows are the slowest and the median of each read during each
// operation, and the median of the same reads on the idle repository first.
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { git } from "./harness/git";
import { newRow } from "./compare-measure";
import type { CorpusRun } from "./compare-ops";
import type { OperationName } from "./compare-options";
import { cgitRepoDir, housekeeping, repoUrl, type Side } from "./compare-sides";
import type { Measurement, Row } from "./compare-table";

const PAUSE_MS = 300;
const IDLE_READS = 10;
const SMALL_BRANCH = "reads-small";

/** One kind of read, timed in seconds. */
type Read = (url: string, cwd: string) => Promise<number>;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

const lsRemote: Read = (url, cwd) => timed(() => git(["ls-remote", url], { cwd }));

const branchClone: Read = async (url, cwd) => {
  const dir = await mkdtemp(join(cwd, "reads-branch-"));
  try {
    return await timed(() => git(["clone", "--quiet", "--bare", "--single-branch", "--branch", SMALL_BRANCH, url, join(dir, "b.git")], { cwd: dir }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

const READS = [
  { what: "ls-remote", read: lsRemote, idle: "reads-idle", during: "reads-during" },
  { what: "one-branch clone", read: branchClone, idle: "branch-idle", during: "branch-during" },
] as const;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
/** A latency as a row's measurement (no memory figures: the operations' own rows have them). */
const point = (seconds: number): Measurement => ({ seconds, memory: { idleBytes: 0, peakBytes: undefined } });

interface Busy {
  what: string;
  /** Appended to a read's row name: "" for the push, "-clone", "-repack". */
  suffix: string;
  work(side: Side, url: string, name: string): Promise<unknown>;
}

export async function readsDuring(ctx: CorpusRun): Promise<void> {
  const { corpus, sides } = ctx;
  const row = (operation: string): Row => {
    const made = newRow(corpus.name, operation as OperationName);
    ctx.rows.push(made);
    return made;
  };
  const busy: Busy[] = [
    // Not --mirror: that would delete the small branch.
    { what: "a full push", suffix: "", work: (_side, url) => git(["push", "--quiet", url, "refs/*:refs/*"], { cwd: corpus.dir }) },
    { what: "a full clone", suffix: "-clone", work: (_side, url) => cloneAway(url, ctx.work) },
    { what: "a repack", suffix: "-repack", work: (side, url, name) => repack(side, url, name, corpus.dir, corpus.branch) },
  ];
  const idleRows = READS.map((r) => row(r.idle));
  const busyRows = busy.map((b) => READS.map((r) => ({ slowest: row(`${r.during}${b.suffix}`), median: row(`${r.during}${b.suffix}-median`) })));
  const { stdout } = await git(["rev-list", "--max-parents=0", "--reverse", corpus.branch], { cwd: corpus.dir });
  const root = stdout.split("\n")[0]!.trim();
  for (const side of sides) {
    const name = `${corpus.name}-reads`;
    const url = repoUrl(side, name);
    await git(["push", "--quiet", url, `${root}:${corpus.branch}`, `${root}:refs/heads/${SMALL_BRANCH}`], { cwd: corpus.dir });
    const idle: number[] = [];
    for (const [i, r] of READS.entries()) {
      const quiet: number[] = [];
      for (let n = 0; n < IDLE_READS; n++) quiet.push(await r.read(url, ctx.work));
      idle.push(median(quiet));
      idleRows[i]!.runs[side.name].push(point(median(quiet)));
    }
    for (const [b, work] of busy.entries()) {
      const during = await readWhile(url, ctx.work, () => work.work(side, url, name));
      for (const [i, r] of READS.entries()) {
        const rows = busyRows[b]![i]!;
        rows.slowest.runs[side.name].push(point(Math.max(...during[i]!)));
        rows.median.runs[side.name].push(point(median(during[i]!)));
        console.error(`[${corpus.name}] ${r.what} during ${work.what} on ${side.name}: ${during[i]!.length} reads, slowest ${Math.max(...during[i]!).toFixed(3)} s, median ${median(during[i]!).toFixed(3)} s (idle ${idle[i]!.toFixed(3)} s)`);
      }
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
    await git(["repack", "-a", "-d", "--quiet"], { cwd: cgitRepoDir(side, name) });
    return;
  }
  await git(["push", "--quiet", "--force", url, `${branch}~1:${branch}`], { cwd: dir });
  await git(["push", "--quiet", url, `${branch}:${branch}`], { cwd: dir });
  const report = await housekeeping(side, name);
  if (!report.repacked) throw new Error(`housekeeping did not repack: ${report.reason}`);
}

/** Each read in turn, PAUSE_MS apart, while `work` runs; the latencies of each read, the last ones finished after it. */
async function readWhile(url: string, cwd: string, work: () => Promise<unknown>): Promise<number[][]> {
  const latencies: number[][] = READS.map(() => []);
  let done = false;
  const loop = (async () => {
    while (!done) {
      for (const [i, r] of READS.entries()) {
        latencies[i]!.push(await r.read(url, cwd));
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      }
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
