// Peak memory of the worker's isolate as V8 itself counts it: JS heap in use plus ArrayBuffer backing
// stores, the two things the platform's 128 MB per-isolate limit covers. Read through the inspector
// (Runtime.getHeapUsage) every SAMPLE_INTERVAL_MS. The isolate answers between tasks only, so a long
// synchronous stretch is seen at its ends. Garbage not yet collected is counted too: V8 collects
// dead ArrayBuffers once tens of MB of them have piled up, and local workerd runs without the
// production heap limit. So, asked for it, every LIVE_EVERY-th sample first forces a full collection
// (HeapProfiler.collectGarbage): the highest of those is what the isolate holds alive, caches and
// working sets, garbage left out. Each forced collection pauses the isolate for tens of milliseconds.
import WebSocket from "ws";
import { SAMPLE_INTERVAL_MS } from "./compare-memory";

interface HeapUsage {
  usedSize: number;
  backingStorageSize: number;
}

/** How long a sample waits for the inspector, which cannot answer while the isolate runs a long synchronous stretch. */
const CALL_TIMEOUT_MS = 5_000;
/** Samples between forced collections: about every 2 s. */
const LIVE_EVERY = 20;

export interface IsolatePeak {
  /** Highest heap + buffers seen, garbage included. */
  peak?: number;
  /** Highest heap + buffers seen right after a forced full collection (with `live` only). */
  live?: number;
}

export class IsolateMemory {
  private nextId = 0;
  private readonly pending = new Map<number, (result: unknown) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
      if (message.id === undefined) return;
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    });
  }

  /** Connects to the first target the inspector on `port` lists (wrangler dev's worker). */
  static async connect(port: number): Promise<IsolateMemory> {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string }[];
    if (targets.length === 0) throw new Error(`the inspector on port ${port} lists no target`);
    const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return new IsolateMemory(socket);
  }

  /** Samples from now until the returned function is called, which reports the highest heap + buffers seen (and, with `live`, the highest after a collection). */
  samplePeak(opts: { live?: boolean } = {}): () => Promise<IsolatePeak> {
    const seen: IsolatePeak = {};
    let running = true;
    const usage = async () => {
      const u = (await this.call("Runtime.getHeapUsage")) as HeapUsage | undefined;
      return u ? u.usedSize + u.backingStorageSize : 0;
    };
    const loop = (async () => {
      for (let n = 1; running; n++) {
        seen.peak = Math.max(seen.peak ?? 0, await usage());
        if (opts.live && n % LIVE_EVERY === 1) {
          await this.call("HeapProfiler.collectGarbage");
          seen.live = Math.max(seen.live ?? 0, await usage());
        }
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_INTERVAL_MS));
      }
    })();
    return async () => {
      running = false;
      await loop;
      return seen;
    };
  }

  close(): void {
    this.socket.close();
  }

  /** The method's result, or undefined if the inspector has not answered within CALL_TIMEOUT_MS (its answer is then dropped). */
  private call(method: string): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(undefined);
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      this.socket.send(JSON.stringify({ id, method }));
    });
  }
}
