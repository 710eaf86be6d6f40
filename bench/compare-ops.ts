// The timed git operations of one corpus against both servers: full push, full clone, ls-remote,
// shallow and partial clones, then incremental push and fetch of one new commit per run, then a full
// clone after the branch is forced back and forth.
import { mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { git, lsRemote, revParse } from "./harness/git";
import { checkAdvertisedRefs, checkFullClone, checkTip, Failures } from "./compare-checks";
import { measure, newRow, packTracePath, repeat, sidesInOrder } from "./compare-measure";
import type { OperationName } from "./compare-options";
import { cgitRepoDir, housekeeping, repoUrl, type Side } from "./compare-sides";
import type { Row } from "./compare-table";
import type { Corpus } from "./corpus";
import { planPushSteps, STEP_LIMIT_BYTES } from "./push-steps";
import { readsDuring } from "./reads-during";

export interface CorpusRun {
  corpus: Corpus;
  sides: readonly Side[];
  runs: number;
  only: readonly OperationName[];
  /** An empty directory of this corpus's own for clones and working repositories. */
  work: string;
  failures: Failures;
  /** Where the rows go as soon as they are started, so that a failure keeps what was measured. */
  rows: Row[];
}

function startRow(ctx: CorpusRun, operation: OperationName): Row {
  const row = newRow(ctx.corpus.name, operation);
  ctx.rows.push(row);
  return row;
}

/** The repository the read operations use: the target of the first full push. */
const seedName = (corpus: Corpus) => `${corpus.name}-1`;

function pushMirror(ctx: CorpusRun, side: Side, name: string): Promise<unknown> {
  return git(["push", "--quiet", "--mirror", repoUrl(side, name)], { cwd: ctx.corpus.dir });
}

/** A commit on the corpus's branch, in the bare repository `dir`, that writes its incremental file (corpus.ts); deterministic per `run`. */
async function addCommit(dir: string, corpus: Corpus, run: number): Promise<string> {
  const branch = corpus.branch;
  const { path: file, content } = corpus.incremental?.(run) ?? { path: "bench-incremental.txt", content: `incremental run ${run}\n` };
  const parent = await revParse(dir, branch);
  const { stdout: blob } = await git(["hash-object", "-w", "--stdin"], { cwd: dir, input: content });
  // The parent's tree with the one file replaced, through an index of the commit's own (the path may be nested).
  const env = { GIT_INDEX_FILE: join(dir, `bench-index-${run}`) };
  await git(["read-tree", parent], { cwd: dir, env });
  await git(["update-index", "--add", "--cacheinfo", `100644,${blob.trim()},${file}`], { cwd: dir, env });
  const { stdout: tree } = await git(["write-tree"], { cwd: dir, env });
  await rm(env.GIT_INDEX_FILE, { force: true });
  const date = `${1_700_000_000 + run * 60} +0000`;
  const dates = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  const { stdout: commit } = await git(["commit-tree", tree.trim(), "-p", parent, "-m", `Benchmark commit ${run}`], { cwd: dir, env: dates });
  await git(["update-ref", branch, commit.trim(), parent], { cwd: dir });
  return commit.trim();
}

async function fullPush(ctx: CorpusRun): Promise<void> {
  const { corpus, sides, runs } = ctx;
  if (!ctx.only.includes("push")) {
    for (const side of sides) await pushMirror(ctx, side, seedName(corpus));
    return;
  }
  // Each run pushes to a repository of its own; the first one is the seed.
  await repeat(startRow(ctx, "push"), sides, (side, run) => pushMirror(ctx, side, `${corpus.name}-${run}`), { runs, scratchRoot: ctx.work });
}

/**
 * Housekeeping after a full push: ours builds the commit graph and repacks when one is due (POST
 * housekeeping, what its alarm runs soon after a push); C git repacks and writes a commit-graph with
 * changed paths, as hosting services run it, in a copy so that its later rows keep the pushed
 * repository. Timed once when asked for; ours is settled in any case, so that the rows after it meet
 * a repository at rest and their cost columns hold their own work only.
 */
async function settle(ctx: CorpusRun): Promise<void> {
  const { corpus, sides, work } = ctx;
  const row = ctx.only.includes("housekeeping") ? startRow(ctx, "housekeeping") : undefined;
  for (const side of sides) {
    if (side.name === "ours") {
      await housekeeping(side, seedName(corpus));
      // The other runs' repositories, whose housekeeping would run in the same isolate as later rows.
      if (ctx.only.includes("push")) for (let run = 2; run <= ctx.runs; run++) await housekeeping(side, `${corpus.name}-${run}`);
      // The seed's alarm started its commit graph a second after its push, so the timed run is of a
      // repository of its own, asked for at once after its (untimed) push.
      if (row) {
        const name = `${corpus.name}-housekeeping`;
        await pushMirror(ctx, side, name);
        await measure(row, side, 1, () => housekeeping(side, name));
      }
    } else if (row) {
      const copy = join(work, "housekeeping-cgit.git");
      await git(["clone", "--quiet", "--bare", "--no-local", cgitRepoDir(side, seedName(corpus)), copy], { cwd: work });
      await measure(row, side, 1, async () => {
        await git(["repack", "-a", "-d", "--quiet"], { cwd: copy });
        await git(["commit-graph", "write", "--reachable", "--changed-paths"], { cwd: copy });
      });
      await rm(copy, { recursive: true, force: true });
    }
  }
}

/** The history pushed in pieces of at most 100 MB to a repository of its own per run; only for corpora above 100 MB. */
async function pushInSteps(ctx: CorpusRun): Promise<void> {
  const { corpus, sides, runs, failures } = ctx;
  const steps = await planPushSteps(corpus.dir, corpus.branch);
  if (!steps) return;
  const largest = Math.max(...steps.map((s) => s.bytes));
  console.error(`[${corpus.name}] ${steps.length} pushes, the largest adding ${(largest / 1e6).toFixed(1)} MB of objects`);
  await failures.check(`${corpus.name}: every step under ${STEP_LIMIT_BYTES / 1e6} MB`, async () => {
    if (largest > STEP_LIMIT_BYTES) throw new Error(`a step adds ${largest} bytes`);
  });
  await repeat(
    startRow(ctx, "push-steps"),
    sides,
    async (side, run) => {
      const url = repoUrl(side, `${corpus.name}-steps-${run}`);
      for (const step of steps) {
        const args = step.commit ? [url, `${step.commit}:${corpus.branch}`] : ["--mirror", url];
        await git(["push", "--quiet", ...args], { cwd: corpus.dir });
      }
    },
    {
      runs,
      scratchRoot: ctx.work,
      check: async (side, run) => {
        await failures.check(`${corpus.name}: stepped push to ${side.name} (run ${run})`, async () => {
          await checkAdvertisedRefs(await lsRemote(repoUrl(side, `${corpus.name}-steps-${run}`), { cwd: ctx.work }), corpus.dir);
        });
        if (side.name === "ours") await housekeeping(side, `${corpus.name}-steps-${run}`);
      },
    },
  );
}

/** Timed bare clones of the seed; the first from each side is checked against the corpus. */
async function fullClone(ctx: CorpusRun, operation: OperationName = "clone", what = "full clone"): Promise<void> {
  const { corpus, sides, runs, failures } = ctx;
  await repeat(
    startRow(ctx, operation),
    sides,
    (side, _run, scratch) => git(["clone", "--quiet", "--bare", repoUrl(side, seedName(corpus)), join(scratch, "clone.git")], { cwd: scratch }),
    {
      runs,
      scratchRoot: ctx.work,
      check: async (side, run, _result, scratch) => {
        if (run === 1) await failures.check(`${corpus.name}: ${what} from ${side.name}`, () => checkFullClone(join(scratch, "clone.git"), corpus.dir));
      },
    },
  );
}

async function listRemote(ctx: CorpusRun): Promise<void> {
  const { corpus, sides, runs, failures } = ctx;
  await repeat(startRow(ctx, "ls-remote"), sides, (side, _run, scratch) => lsRemote(repoUrl(side, seedName(corpus)), { cwd: scratch }), {
    runs,
    scratchRoot: ctx.work,
    check: async (side, run, refs) => {
      if (run === 1) await failures.check(`${corpus.name}: ls-remote of ${side.name}`, () => checkAdvertisedRefs(refs, corpus.dir));
    },
  });
}

/**
 * The first request a Durable Object answers after it was evicted: ours (settled, so that no alarm
 * runs in the timed request) is restarted before each run (untimed), so its isolate, its Durable
 * Object and their caches start afresh on the stored state. C git has no such state: its row is a
 * plain ls-remote.
 */
async function coldStart(ctx: CorpusRun): Promise<void> {
  const { corpus, sides, runs, failures } = ctx;
  const row = startRow(ctx, "cold-start");
  for (let run = 1; run <= runs; run++) {
    for (const side of sidesInOrder(sides, run)) {
      await side.restart?.();
      const refs = await measure(row, side, run, () => lsRemote(repoUrl(side, seedName(corpus)), { cwd: ctx.work }));
      if (run === 1) await failures.check(`${corpus.name}: cold ls-remote of ${side.name}`, () => checkAdvertisedRefs(refs, corpus.dir));
    }
  }
}

/** Timed clones of the corpus's branch alone, with `args` (`--depth 1`, `--single-branch`), which this server serves by walking history. */
async function branchClone(ctx: CorpusRun, operation: OperationName, args: string[]): Promise<void> {
  const { corpus, sides, runs, failures } = ctx;
  const tip = await revParse(corpus.dir, corpus.branch);
  const branch = corpus.branch.replace(/^refs\/heads\//, "");
  const shallow = args.includes("--depth");
  const clone = (side: Side, dest: string) => ["clone", "--quiet", "--bare", ...args, "--branch", branch, repoUrl(side, seedName(corpus)), dest];
  await repeat(startRow(ctx, operation), sides, (side, _run, scratch) => git(clone(side, join(scratch, "branch.git")), { cwd: scratch }), {
    runs,
    scratchRoot: ctx.work,
    check: (side, run, _result, scratch) =>
      failures.check(`${corpus.name}: ${args.join(" ")} clone from ${side.name} (run ${run})`, () => checkTip(join(scratch, "branch.git"), corpus.branch, tip, shallow)),
  });
}

/** Timed partial clones (`--filter`) of the seed, with the bytes each server sent; each must have every ref's tip. */
async function filteredClone(ctx: CorpusRun, operation: OperationName, filter: string): Promise<void> {
  const { corpus, sides, runs, failures } = ctx;
  const tip = await revParse(corpus.dir, corpus.branch);
  await repeat(
    startRow(ctx, operation),
    sides,
    (side, _run, scratch) =>
      git(["clone", "--quiet", "--bare", `--filter=${filter}`, repoUrl(side, seedName(corpus)), join(scratch, "partial.git")], {
        cwd: scratch,
        env: { GIT_TRACE_PACKFILE: packTracePath(scratch) },
      }),
    {
      runs,
      scratchRoot: ctx.work,
      tracesPack: true,
      check: (side, run, _result, scratch) => failures.check(`${corpus.name}: clone --filter=${filter} from ${side.name} (run ${run})`, () => checkTip(join(scratch, "partial.git"), corpus.branch, tip)),
    },
  );
}

/**
 * Per run, one new commit on the corpus's branch, pushed to each server and fetched from it into a
 * repository that had everything but that commit. Pushed untimed when only the fetch is asked for.
 */
async function incremental(ctx: CorpusRun): Promise<void> {
  const { corpus, sides, runs, work, failures } = ctx;
  const pushRow = ctx.only.includes("push-inc") ? startRow(ctx, "push-inc") : undefined;
  const fetchRow = ctx.only.includes("fetch-inc") ? startRow(ctx, "fetch-inc") : undefined;
  // Local clones of the corpus (hard links), as the servers hold it before the first incremental run.
  const writer = join(work, "writer.git");
  await git(["clone", "--quiet", "--bare", corpus.dir, writer], { cwd: work });
  const fetchers = new Map<Side, string>();
  for (const side of sides) {
    const dir = join(work, `fetcher-${side.name}.git`);
    await git(["clone", "--quiet", "--bare", corpus.dir, dir], { cwd: work });
    fetchers.set(side, dir);
  }
  for (let run = 1; run <= runs; run++) {
    const commit = await addCommit(writer, corpus, run);
    for (const side of sidesInOrder(sides, run)) {
      const url = repoUrl(side, seedName(corpus));
      const push = () => git(["push", "--quiet", url, `${corpus.branch}:${corpus.branch}`], { cwd: writer });
      await (pushRow ? measure(pushRow, side, run, push) : push());
      if (!fetchRow) continue;
      const fetcher = fetchers.get(side)!;
      const trace = packTracePath(join(work, `fetch-${side.name}-${run}`));
      await mkdir(dirname(trace));
      const fetch = () => git(["fetch", "--quiet", url, "+refs/heads/*:refs/heads/*"], { cwd: fetcher, env: { GIT_TRACE_PACKFILE: trace } });
      await measure(fetchRow, side, run, fetch, trace);
      await failures.check(`${corpus.name}: incremental fetch from ${side.name} (run ${run})`, () => checkTip(fetcher, corpus.branch, commit));
    }
  }
}

/**
 * The branch forced to its parent and back to the corpus's tip (resending that commit), then full
 * clones: a history that has seen a forced update, which this server serves by walking it.
 */
async function rewoundClone(ctx: CorpusRun): Promise<void> {
  const { corpus, sides } = ctx;
  for (const side of sides) {
    const url = repoUrl(side, seedName(corpus));
    await git(["push", "--quiet", "--force", url, `${corpus.branch}~1:${corpus.branch}`], { cwd: corpus.dir });
    await git(["push", "--quiet", url, `${corpus.branch}:${corpus.branch}`], { cwd: corpus.dir });
  }
  await fullClone(ctx, "clone-rewound", "clone after a force push");
}

/** Runs the selected operations on one corpus, adding rows to `ctx.rows`; the read operations run before the incremental ones and the forced updates change the seed. */
export async function benchCorpus(ctx: CorpusRun): Promise<void> {
  await fullPush(ctx);
  await settle(ctx);
  if (ctx.only.includes("push-steps")) await pushInSteps(ctx);
  if (ctx.only.includes("clone")) await fullClone(ctx);
  if (ctx.only.includes("ls-remote")) await listRemote(ctx);
  if (ctx.only.includes("cold-start")) await coldStart(ctx);
  if (ctx.only.includes("shallow")) await branchClone(ctx, "shallow", ["--depth", "1"]);
  if (ctx.only.includes("clone-single-branch")) await branchClone(ctx, "clone-single-branch", ["--single-branch"]);
  if (ctx.only.includes("clone-blobless")) await filteredClone(ctx, "clone-blobless", "blob:none");
  if (ctx.only.includes("clone-treeless")) await filteredClone(ctx, "clone-treeless", "tree:0");
  if (ctx.only.includes("push-inc") || ctx.only.includes("fetch-inc")) await incremental(ctx);
  if (ctx.only.includes("clone-rewound")) await rewoundClone(ctx);
  if (ctx.only.includes("reads-during")) await readsDuring(ctx);
}
