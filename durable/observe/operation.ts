// One operation's record: a git request, an API write or a background job. It counts what went in
// and out as the operation runs and, when it ends, writes exactly one log line (log.ts) and one data
// point to Workers Analytics Engine, with the same fields: time, repository, operation, actor,
// duration, objects and bytes in and out, SQLite rows read and written, R2 operations, the push id,
// the request id, and the outcome (ok, refused, or error, with the error's name and message).
import { describe } from "../errors";
import { errorFields, log, type LogFields } from "./log";
import type { Counters } from "./counters";

export type Outcome = "ok" | "refused" | "error";

export interface OperationContext {
  /** owner/name; empty for operations of the whole server. */
  repo: string;
  requestId?: string;
  /** The token's name, or "anonymous" / "admin" (access/principal.ts). */
  actor?: string;
  counters?: Counters;
  metrics?: AnalyticsEngineDataset;
  /** Called once the operation has ended, after its line is written. */
  ended?: () => void;
}

export class Operation {
  objectsIn = 0;
  bytesIn = 0;
  objectsOut = 0;
  bytesOut = 0;
  pushId: string | undefined;
  private result: Outcome = "ok";
  private failure: { error: string; message: string } | undefined;
  private readonly started = Date.now();
  private readonly base;
  private done = false;

  constructor(
    /** push, fetch, clone, ls-refs, advertise, object-info, restore, housekeeping, archive, settings, tokens, api */
    public name: string,
    private readonly context: OperationContext,
  ) {
    this.base = context.counters?.snapshot();
  }

  get requestId(): string | undefined {
    return this.context.requestId;
  }

  get outcome(): Outcome {
    return this.result;
  }

  /** The operation was refused for a reason the client is told (a bad request, a rule, a missing object). */
  refuse(message: string): void {
    if (this.result === "error") return;
    this.result = "refused";
    this.failure = { error: "refused", message };
  }

  /** The operation failed on the server's side. */
  fail(e: unknown): void {
    this.result = "error";
    this.failure = errorFields(e);
  }

  /** What a thrown `e` means: a refusal the client is told of (a ServerError below 500), or a failure. */
  thrown(e: unknown): void {
    const { status, error } = describe(e);
    if (status >= 500) this.fail(e);
    else this.refuse(error);
  }

  /** Writes the line and the data point; later calls do nothing. */
  finish(): void {
    if (this.done) return;
    this.done = true;
    const now = this.context.counters?.snapshot();
    const fields = {
      repo: this.context.repo,
      op: this.name,
      actor: this.context.actor,
      requestId: this.context.requestId,
      pushId: this.pushId,
      durationMs: Date.now() - this.started,
      objectsIn: this.objectsIn,
      bytesIn: this.bytesIn,
      objectsOut: this.objectsOut,
      bytesOut: this.bytesOut,
      rowsRead: now && this.base ? now.rowsRead - this.base.rowsRead : 0,
      rowsWritten: now && this.base ? now.rowsWritten - this.base.rowsWritten : 0,
      r2ClassA: now && this.base ? now.r2ClassA - this.base.r2ClassA : 0,
      r2ClassB: now && this.base ? now.r2ClassB - this.base.r2ClassB : 0,
      outcome: this.result,
      ...this.failure,
    } satisfies LogFields;
    log(this.result === "error" ? "error" : this.result === "refused" ? "warn" : "info", "operation", fields);
    this.context.metrics?.writeDataPoint({
      indexes: [fields.repo],
      blobs: [fields.op, fields.repo, fields.outcome, fields.actor ?? "", fields.error ?? ""],
      doubles: [fields.durationMs, fields.objectsIn, fields.bytesIn, fields.objectsOut, fields.bytesOut, fields.rowsRead, fields.rowsWritten, fields.r2ClassA, fields.r2ClassB],
    });
    this.context.ended?.();
  }

  /** Counts the bytes of `body` as they pass, and finishes the operation once it is read to its end or cancelled. */
  countOut(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    return body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk, controller) => {
          this.bytesOut += chunk.length;
          controller.enqueue(chunk);
        },
        flush: () => this.finish(),
        cancel: () => this.finish(),
      }),
    );
  }
}

