// Peak memory of the worker's isolate as V8 itself counts it: JS heap in use plus ArrayBuffer backing
// stores, the two things the platform's 128 MB per-isolate limit covers. Read through the inspector
// (Runtime.getHeapUsage) every SAMPLE_INTERVAL_MS. The isolate answers between tasks only, so a long
// synchronous stretch is seen at its ends. Garbage not yet collected is counted too: local workerd
// runs V8 without the production heap limit, so it collects later than the platform would.
import WebSocket from "ws";
import { SAMPLE_INTERVAL_MS } from "./compare-memory";

interface HeapUsage {
  usedSize: number;
  backingStorageSize: number;
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

  /** Samples from now until the returned function is called, which reports the highest heap + buffers seen. */
  samplePeak(): () => Promise<number | undefined> {
    let peak: number | undefined;
    let running = true;
    const loop = (async () => {
      while (running) {
        const usage = (await this.call("Runtime.getHeapUsage")) as HeapUsage;
        peak = Math.max(peak ?? 0, usage.usedSize + usage.backingStorageSize);
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_INTERVAL_MS));
      }
    })();
    return async () => {
      running = false;
      await loop;
      return peak;
    };
  }

  close(): void {
    this.socket.close();
  }

  private call(method: string): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ id, method }));
    });
  }
}
