// `npm run bench:browse -- --repo <bare repository>`: the browse API against C git on the same
// history, in the same run. The repository is pushed to the worker; C git answers from a copy with a
// commit-graph with changed paths (`git commit-graph write --reachable --changed-paths`), as hosting
// services run it. Each question is timed warm (median of --runs, default 5, after 3 more); cold
// (median of 5), on a fresh Durable Object: the first request after the object was evicted for
// idling (workerd evicts one after 10 s without requests, as the platform does after a while), its
// caches and SQLite's page cache gone and the Worker's isolate still up; and first after a restart
// of the whole worker, whose isolate also compiles the code afresh. The isolate's peak memory is
// shown. C git's side is the command that answers the same question. The worker's commit graph is
// built (POST housekeeping) before the questions, as housekeeping does soon after a push.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { IsolateMemory } from "./compare-isolate";
import { git, gitEnv } from "./harness/git";
import { startWorker, type WorkerServer } from "./harness/server";
import { tmpDir } from "./harness/tmp";
import { runMain } from "./harness/main";

const run = promisify(execFile);

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** Requests before the warm ones are timed. */
const WARM_UP = 3;
/** Fresh objects timed per question (each after a wait): one request is at the mercy of a collection. */
const COLD_RUNS = 5;
/** Longer than workerd's 10 s without requests, after which it evicts a Durable Object. */
const EVICTED_AFTER_MS = 15_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Question {
  name: string;
  /** The API path after /api/repos/bench/repo/. */
  api: string;
  /** C git's commands for the same question (their times are added). */
  cgit: string[][];
}

/** What the commits route answers of each commit. */
const LOG_FORMAT = "--format=%H%n%P%n%an%n%ae%n%aI%n%cn%n%ce%n%cI%n%B";

async function lines(dir: string, ...args: string[]): Promise<string[]> {
  return (await git(args, { cwd: dir })).stdout.split("\n").filter(Boolean);
}

/** The questions, with their parameters chosen from the repository. */
async function questions(dir: string): Promise<Question[]> {
  const head = (await lines(dir, "symbolic-ref", "--short", "HEAD"))[0]!;
  const deep = (await lines(dir, "ls-tree", "-r", "-d", "--name-only", head)).find((p) => p.split("/").length === 3) ?? "";
  const blobs = await lines(dir, "ls-tree", "-l", head);
  const blob = blobs.map((l) => l.split(/\s+/)).filter((f) => f[1] === "blob").sort((a, b) => Number(b[3]) - Number(a[3]))[0]![4]!;
  const dirs = await lines(dir, "ls-tree", "-r", "-d", "--name-only", head);
  const historyPath = dirs.includes("Documentation/RelNotes") ? "Documentation/RelNotes" : (dirs[0] ?? blob);
  const commit = (await lines(dir, "rev-list", "--no-merges", "-n", "1", head))[0]!;
  const base = (await lines(dir, "rev-parse", `${head}~100`))[0]!;
  return [
    { name: "tree at the root", api: `tree/${head}/`, cgit: [["ls-tree", "-l", head]] },
    { name: `tree three levels deep (${deep})`, api: `tree/${head}/${deep}`, cgit: [["ls-tree", "-l", `${head}:${deep}`]] },
    { name: `a blob (${blob})`, api: `blob/${head}/${blob}`, cgit: [["cat-file", "-p", `${head}:${blob}`]] },
    { name: "a commits page of 30", api: `commits?ref=${head}&limit=30`, cgit: [["log", "-n", "30", LOG_FORMAT, head]] },
    { name: `30 commits of ${historyPath}`, api: `commits?ref=${head}&limit=30&path=${encodeURIComponent(historyPath)}`, cgit: [["log", "-n", "30", LOG_FORMAT, head, "--", historyPath]] },
    { name: "a commit with its diff", api: `commits/${commit}`, cgit: [["show", "--stat", "--patch", commit]] },
    // The route answers the counts, up to 250 of head's commits and the files changed since the merge base.
    {
      name: "compare across 100 commits",
      api: `compare/${base}...${head}`,
      cgit: [["rev-list", "--left-right", "--count", `${base}...${head}`], ["log", "-n", "250", LOG_FORMAT, `${base}..${head}`], ["diff", "-M", "--name-status", `${base}...${head}`]],
    },
  ];
}

async function timeCgit(dir: string, commands: string[][], runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    for (const args of commands) await run("git", args, { cwd: dir, env: gitEnv(), maxBuffer: 1 << 28 });
    times.push(performance.now() - start);
  }
  return median(times);
}

async function timeApi(server: WorkerServer, path: string): Promise<number> {
  const start = performance.now();
  // Uncompressed, as C git's answer is: on the platform the edge compresses, outside the isolate, and
  // the dev server's gzip of a 240 kB blob answer cost more than the route.
  const res = await fetch(`${server.url}/api/repos/bench/repo/${path}`, { headers: { "Accept-Encoding": "identity" } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
  return performance.now() - start;
}

async function main(): Promise<void> {
  const repo = option("repo");
  if (!repo) throw new Error("usage: npm run bench:browse -- --repo <bare repository> [--runs N]");
  const runs = Number(option("runs") ?? 5);
  const root = await tmpDir("bench-browse-");
  const state = join(root.path, "state");
  const vars = { MAX_PUSH_BYTES: String(4 * 1024 ** 3) };
  let server: WorkerServer | undefined;
  try {
    const cgit = join(root.path, "cgit.git");
    console.error("copying the repository for C git and writing its commit-graph...");
    await git(["clone", "--quiet", "--bare", repo, cgit], { cwd: root.path });
    await git(["commit-graph", "write", "--reachable", "--changed-paths"], { cwd: cgit });
    server = await startWorker({ vars, persistTo: state });
    console.error("pushing the repository to the worker...");
    await git(["push", "--quiet", `${server.url}/bench/repo.git`, "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"], { cwd: cgit });
    // Housekeeping builds the commit graph soon after a push; asked for now, it says when it is done.
    const built = performance.now();
    const graph = await fetch(`${server.url}/api/repos/bench/repo/housekeeping`, { method: "POST" });
    if (graph.status !== 200) throw new Error(`housekeeping: HTTP ${graph.status}`);
    console.error(`commit graph: ${JSON.stringify(((await graph.json()) as { commitGraph: unknown }).commitGraph)} in ${((performance.now() - built) / 1000).toFixed(1)} s`);
    const asked = await questions(cgit);
    const rows: string[] = [];
    for (const q of asked) {
      await server.stop();
      server = await startWorker({ vars, persistTo: state });
      const memory = await IsolateMemory.connect(server.inspectorPort);
      const stop = memory.samplePeak();
      const restarted = await timeApi(server, q.api);
      // Warm: the code compiled and optimised too, not only the caches filled.
      for (let i = 0; i < WARM_UP; i++) await timeApi(server, q.api);
      const warm: number[] = [];
      for (let i = 0; i < runs; i++) warm.push(await timeApi(server, q.api));
      const colds: number[] = [];
      for (let i = 0; i < COLD_RUNS; i++) {
        await sleep(EVICTED_AFTER_MS);
        colds.push(await timeApi(server, q.api));
      }
      const cold = median(colds);
      const peak = (await stop()).peak;
      memory.close();
      const theirs = await timeCgit(cgit, q.cgit, runs);
      const ours = median(warm);
      const mib = (b: number | undefined) => (b === undefined ? "n/a" : `${(b / 1024 / 1024).toFixed(1)} MiB`);
      const ratio = (t: number) => `${t.toFixed(1)} ms | **${(t / theirs).toFixed(2)}**`;
      rows.push(`| ${q.name} | ${q.cgit.map((c) => `\`git ${c.filter((a) => !a.startsWith("--format")).slice(0, 3).join(" ")}\``).join(" + ")} | ${theirs.toFixed(1)} ms | ${ratio(ours)} | ${ratio(cold)} | ${ratio(restarted)} | ${mib(peak)} |`);
      console.error(rows[rows.length - 1]);
    }
    console.log(`Browse API against C git (commit-graph with changed paths) on ${repo}; warm: median of ${runs}; cold: median of ${COLD_RUNS} first requests to a fresh Durable Object (evicted after idling); restart: first request after the worker restarted.\n`);
    console.log("| question | C git | C git time | ours warm | ratio | ours cold | cold ratio | after a restart | ratio | isolate peak |");
    console.log("|---|---|---|---|---|---|---|---|---|---|");
    console.log(rows.join("\n"));
  } finally {
    await server?.stop();
    await root.cleanup();
  }
}

runMain(main);
