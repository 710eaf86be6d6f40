// The reads-during operation: how long reads of a repository take while it receives a large push.
// For each server, a repository holding the corpus's oldest commit is sent the whole corpus while
// `git ls-remote` of the same repository runs in a loop; the rows are the slowest and the median of
// those reads, and the median of the same reads on the idle repository before the push.
import { git } from "./harness/git";
import { newRow } from "./compare-measure";
import type { CorpusRun } from "./compare-ops";
import { repoUrl } from "./compare-sides";
import type { Measurement } from "./compare-table";

const PAUSE_MS = 300;
const IDLE_READS = 10;

async function timedLsRemote(url: string, cwd: string): Promise<number> {
  const start = performance.now();
  await git(["ls-remote", url], { cwd });
  return (performance.now() - start) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
/** A latency as a row's measurement (no memory figures: the push's are in its own row). */
const point = (seconds: number): Measurement => ({ seconds, memory: { idleBytes: 0, peakBytes: undefined } });

export async function readsDuringPush(ctx: CorpusRun): Promise<void> {
  const { corpus, sides } = ctx;
  const slowest = newRow(corpus.name, "reads-during");
  const middle = newRow(corpus.name, "reads-during-median");
  const idle = newRow(corpus.name, "reads-idle");
  ctx.rows.push(slowest, middle, idle);
  const { stdout } = await git(["rev-list", "--max-parents=0", "--reverse", corpus.branch], { cwd: corpus.dir });
  const root = stdout.split("\n")[0]!.trim();
  for (const side of sides) {
    const url = repoUrl(side, `${corpus.name}-reads`);
    await git(["push", "--quiet", url, `${root}:${corpus.branch}`], { cwd: corpus.dir });
    const quiet: number[] = [];
    for (let i = 0; i < IDLE_READS; i++) quiet.push(await timedLsRemote(url, ctx.work));
    const during = await readWhile(url, ctx.work, () => git(["push", "--quiet", "--mirror", url], { cwd: corpus.dir }));
    slowest.runs[side.name].push(point(Math.max(...during)));
    middle.runs[side.name].push(point(median(during)));
    idle.runs[side.name].push(point(median(quiet)));
    console.error(`[${corpus.name}] reads during a full push to ${side.name}: ${during.length} reads, slowest ${Math.max(...during).toFixed(3)} s, median ${median(during).toFixed(3)} s (idle ${median(quiet).toFixed(3)} s)`);
  }
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
