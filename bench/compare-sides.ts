// The two servers compared: our worker under `wrangler dev` and C git's `git http-backend`, both on
// 127.0.0.1 with the same URL scheme, each with the processes whose memory is its footprint.
import { join } from "node:path";
import { startCgit, startWorker, type CgitServer, type RunningServer } from "./harness/server";
import { tmpDir } from "./harness/tmp";
import { IsolateMemory } from "./compare-isolate";
import { childTreesOf, descendantsNamed, type ProcessSelector } from "./compare-memory";

export type SideName = "ours" | "cgit";

export interface Side {
  name: SideName;
  server: RunningServer;
  /** The processes whose summed RSS is this server's memory. */
  processes: ProcessSelector;
  /** Whether the idle footprint is subtracted to show what an operation adds (ours: a long-lived workerd). */
  reportsIdle: boolean;
  /** Ours: the worker's isolate, as V8 counts its memory. */
  isolate?: IsolateMemory;
  /** Ours: the operation lines the server has logged, for what each operation cost (compare-cost.ts). */
  operations?: () => Record<string, unknown>[];
  /** Ours: stops the worker and starts it again on the same state, so that the next request meets a Durable Object just started. */
  restart?: () => Promise<void>;
}

/** The URL of repository /bench/<name>.git on `side`. */
export function repoUrl(side: Side, name: string): string {
  return `${side.server.url}/bench/${name}.git`;
}

/** C git's bare repository bench/<name>.git on disk. */
export function cgitRepoDir(side: Side, name: string): string {
  return join((side.server as CgitServer).root, "bench", `${name}.git`);
}

/** Ours: POST housekeeping on `bench/<name>`, which answers once the commit graph is built and any due repack done; its report. */
export async function housekeeping(side: Side, name: string): Promise<{ repacked?: boolean; reason?: string }> {
  const res = await fetch(`${side.server.url}/api/repos/bench/${name}/housekeeping`, { method: "POST" });
  if (res.status !== 200) throw new Error(`housekeeping of ${name}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as { repacked?: boolean; reason?: string };
}

/**
 * Our worker, with pushes up to `maxPushBytes`; its memory is that of the workerd process(es) wrangler
 * runs. Its state lives in a folder of its own, so that a restart keeps every repository.
 */
export async function startOurs(maxPushBytes: number): Promise<Side> {
  const state = await tmpDir("bench-ours-state-");
  const start = async () => {
    const server = await startWorker({ vars: { MAX_PUSH_BYTES: String(maxPushBytes) }, persistTo: state.path });
    const isolate = await IsolateMemory.connect(server.inspectorPort).catch(async (error: unknown) => {
      await server.stop();
      throw error;
    });
    return { server, isolate };
  };
  let running = await start().catch(async (error: unknown) => {
    await state.cleanup();
    throw error;
  });
  const halt = async () => {
    running.isolate.close();
    await running.server.stop();
  };
  const side: Side = {
    name: "ours",
    processes: descendantsNamed("workerd"),
    reportsIdle: true,
    // The server of the moment, through every restart.
    server: {
      get url() {
        return running.server.url;
      },
      async stop() {
        await halt();
        await state.cleanup();
      },
    },
    restart: async () => {
      await halt();
      running = await start();
      use();
    },
  };
  const use = () => Object.assign(side, { isolate: running.isolate, operations: running.server.operations });
  use();
  return side;
}

/** C git; its memory is that of `git http-backend` and the upload-pack/receive-pack/pack-objects/index-pack it runs. */
export async function startCgitSide(): Promise<Side> {
  const server = await startCgit();
  return { name: "cgit", server, processes: childTreesOf(["git", "http-backend"]), reportsIdle: false };
}
