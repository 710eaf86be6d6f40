// The two servers compared: our worker under `wrangler dev` and C git's `git http-backend`, both on
// 127.0.0.1 with the same URL scheme, each with the processes whose memory is its footprint.
import { startCgit, startWorker, type RunningServer } from "./harness/server";
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
}

/** The URL of repository /bench/<name>.git on `side`. */
export function repoUrl(side: Side, name: string): string {
  return `${side.server.url}/bench/${name}.git`;
}

/** Our worker, with pushes up to `maxPushBytes`; its memory is that of the workerd process(es) wrangler runs. */
export async function startOurs(maxPushBytes: number): Promise<Side> {
  const server = await startWorker({ vars: { MAX_PUSH_BYTES: String(maxPushBytes) } });
  const isolate = await IsolateMemory.connect(server.inspectorPort).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  const stop = async () => {
    isolate.close();
    await server.stop();
  };
  return { name: "ours", server: { ...server, stop }, processes: descendantsNamed("workerd"), reportsIdle: true, isolate, operations: server.operations };
}

/** C git; its memory is that of `git http-backend` and the upload-pack/receive-pack/pack-objects/index-pack it runs. */
export async function startCgitSide(): Promise<Side> {
  const server = await startCgit();
  return { name: "cgit", server, processes: childTreesOf(["git", "http-backend"]), reportsIdle: false };
}
