// Benchmark of our git server against C git's http-backend on the same machine: times push, clone,
// ls-remote, incremental push/fetch and shallow clone per corpus, and prints a markdown table. See --help.
import { cpus } from "node:os";
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { git } from "./harness/git";
import { tmpDir } from "./harness/tmp";
import { Failures } from "./compare-checks";
import { Cleanup } from "./compare-cleanup";
import { SAMPLE_INTERVAL_MS } from "./compare-memory";
import { benchCorpus } from "./compare-ops";
import { parseOptions, type Options } from "./compare-options";
import { startCgitSide, startOurs, type Side } from "./compare-sides";
import { renderTable, type Row } from "./compare-table";
import { realCorpus, syntheticCorpus, type Corpus } from "./corpus";
import { runMain } from "./harness/main";

async function prepareCorpora(options: Options, dir: string): Promise<Corpus[]> {
  const corpora: Corpus[] = [];
  for (const name of options.synthetic) {
    console.error(`generating the ${name} corpus...`);
    corpora.push(await syntheticCorpus(name, dir));
  }
  for (const path of options.repos) {
    console.error(`copying the branches and tags of ${path}...`);
    corpora.push(await realCorpus(path, dir, new Set(corpora.map((corpus) => corpus.name))));
  }
  return corpora;
}

async function header(options: Options, corpora: Corpus[]): Promise<string> {
  const version = (await git(["version"], { cwd: process.cwd() })).stdout.trim();
  return [
    `### git smart-HTTP: ours (wrangler dev) vs C git (git http-backend), ${new Date().toISOString().slice(0, 16)}Z`,
    "",
    `${version}, Node ${process.version}, ${cpus().length} CPUs; median of ${options.runs} run(s); ratio = ours / C git; ` +
      `peak MB = highest over the runs of the server's summed RSS, sampled every ${SAMPLE_INTERVAL_MS} ms ` +
      `(ours: the workerd processes under wrangler, Δ = most added to their RSS just before the operation; ` +
      `C git: git http-backend and its children; – = the operation ended before a sample). ` +
      `isolate MB = the worker isolate's peak JS heap in use plus ArrayBuffers, as V8 counts them (the platform's ` +
      `128 MB limit covers these), sampled through the inspector between tasks, uncollected garbage included; ` +
      `(live) = the highest of them right after a forced full collection, about every 2 s: what the isolate holds alive.`,
    "",
    ...corpora.map((corpus) => `- ${corpus.name}: ${corpus.description}`),
  ].join("\n");
}

async function main(): Promise<number> {
  let options: Options | undefined;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  if (!options) return 0;
  const started = performance.now();
  const cleanup = new Cleanup();
  cleanup.onSignals();
  const failures = new Failures();
  const rows: Row[] = [];
  try {
    const root = await tmpDir("bench-compare-");
    cleanup.add(() => root.cleanup());
    // wrangler starts while the corpora are generated; cleanup waits for it if it is still starting.
    const starting = startOurs(options.maxPushBytes);
    starting.catch(() => {}); // awaited below; meanwhile a failed start must not be an unhandled rejection
    cleanup.add(async () => (await starting.catch(() => undefined))?.server.stop());
    const cgit = await startCgitSide();
    cleanup.add(() => cgit.server.stop());
    const corpora = await prepareCorpora(options, root.path);
    console.error("waiting for wrangler dev...");
    const sides: Side[] = [await starting, cgit];

    for (const corpus of corpora) {
      const work = await mkdtemp(join(root.path, `work-${corpus.name}-`));
      try {
        await benchCorpus({ corpus, sides, runs: options.runs, only: options.only, work, failures, rows });
      } catch (error) {
        if (cleanup.interrupted) break;
        failures.fail(`${corpus.name}: benchmark aborted: ${(error as Error).stack ?? error}`);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    }

    if (cleanup.interrupted) return 130; // the signal handler exits once the servers are stopped
    console.log(`${await header(options, corpora)}\n\n${renderTable(rows)}\n`);
    if (failures.messages.length > 0) {
      console.log(failures.messages.map((message) => `**FAIL** ${message}`).join("\n\n"));
    } else {
      console.log(`All ${failures.checks} checks passed (full clone: fsck --full --strict and refs; ls-remote refs; fetched and shallow tips).`);
    }
  } finally {
    await cleanup.run();
  }
  console.error(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return failures.messages.length > 0 ? 1 : 0;
}

runMain(main);
