// zlib streams (RFC 1950) driven piece by piece, for objects too big to hold whole (BIG_OBJECT_BYTES):
// an entry's compressed bytes go in as they arrive and its content comes out into a buffer the caller
// owns, a piece at a time; or content goes in and a zlib stream comes out. The engine is the `_handle`
// of a node:zlib stream, the same interface Node's own zlib.js uses (workerd implements it natively):
// inflate.ts shares one for whole entries, and each stream here has its own, since it outlives many
// other inflates.
import { constants, createDeflate, createInflate } from "node:zlib";
import { InflateError } from "../errors";

interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
  setErrorHandler(onError: (errno: number, code: string, message: string) => void): void;
  close(): void;
}

/** The native engine of a node:zlib stream (`createInflate()` or `createDeflate()`), driven directly. */
export class Engine {
  private readonly handle: ZlibHandle;
  /** [output bytes left, input bytes left] after each writeSync. */
  private readonly state: Uint32Array;
  private error: { code: string; message: string } | null = null;

  constructor(stream: unknown) {
    const s = stream as { _handle: ZlibHandle; _writeState: Uint32Array };
    this.handle = s._handle;
    this.state = s._writeState;
    this.handle.setErrorHandler((_errno, code, message) => {
      this.error = { code, message };
    });
  }

  /**
   * One call of the engine over `input`, into the first `outLength` bytes of `out`: how much input it
   * took and how much output it wrote. A zlib error throws (truncated: the input ended too early).
   */
  run(flush: number, input: Uint8Array, out: Uint8Array, outLength = out.length): { used: number; written: number } {
    this.error = null;
    this.handle.writeSync(flush, input, 0, input.length, out, 0, outLength);
    const error = this.error as { code: string; message: string } | null;
    if (error) throw new InflateError(error.message, error.code === "Z_BUF_ERROR");
    return { used: input.length - this.state[1]!, written: outLength - this.state[0]! };
  }

  /** Ready for a new stream. */
  reset(): void {
    this.handle.reset();
  }

  close(): void {
    this.handle.close();
  }
}

/**
 * Inflates one zlib stream that must hold exactly `size` bytes. Each push takes the stream's next
 * bytes (more than it needs is fine) and writes what it can into `out`; the stream has ended when
 * `ended` turns true, and `used` of the last push tells where it ended.
 */
export class InflateStream {
  private readonly engine = new Engine(createInflate());
  produced = 0;
  ended = false;

  constructor(readonly size: number) {}

  /**
   * Feeds `input` and fills `out` (at most the bytes still due, plus one to catch a longer stream).
   * Returns the input bytes taken and output bytes written; a push that takes nothing and writes
   * nothing with input left means the stream ended before it.
   */
  push(input: Uint8Array, out: Uint8Array): { used: number; written: number } {
    const room = out.subarray(0, Math.min(out.length, this.size - this.produced + 1));
    const { used, written } = this.engine.run(constants.Z_NO_FLUSH, input, room);
    this.produced += written;
    if (this.produced > this.size) throw new InflateError(`stream inflates to more than ${this.size} bytes`, false);
    // Room left and input left: the engine wanted no more, so the stream is complete.
    if (written < room.length && used < input.length) this.end();
    return { used, written };
  }

  /** The input has ended: the stream must be complete. */
  endOfInput(): void {
    if (this.ended) return;
    try {
      this.engine.run(constants.Z_FINISH, new Uint8Array(0), new Uint8Array(1));
    } catch {
      this.close();
      throw new InflateError("stream is truncated", true);
    }
    this.end();
  }

  private end(): void {
    this.ended = true;
    this.engine.close();
    if (this.produced !== this.size) throw new InflateError(`stream inflates to ${this.produced} bytes, not ${this.size}`, false);
  }

  /** Gives the engine back early (an error elsewhere). */
  close(): void {
    if (!this.ended) this.engine.close();
    this.ended = true;
  }
}

/** Deflates content given piece by piece into one zlib stream, handing out its pieces. */
export class DeflateStream {
  private readonly engine = new Engine(createDeflate({ level: 1 }));
  private readonly out = new Uint8Array(1 << 16);

  /** Compresses `input`; `emit` gets each piece of output (a view, valid during the call). */
  write(input: Uint8Array, emit: (piece: Uint8Array) => void): void {
    this.drive(constants.Z_NO_FLUSH, input, emit);
  }

  /** Ends the stream: its last pieces. */
  finish(emit: (piece: Uint8Array) => void): void {
    this.drive(constants.Z_FINISH, new Uint8Array(0), emit);
    this.engine.close();
  }

  private drive(flush: number, input: Uint8Array, emit: (piece: Uint8Array) => void): void {
    for (let at = 0; ; ) {
      const { used, written } = this.engine.run(flush, input.subarray(at), this.out);
      at += used;
      if (written > 0) emit(this.out.subarray(0, written));
      // A full output buffer may hide more output; otherwise the engine took all it could.
      if (written < this.out.length && at >= input.length) return;
    }
  }
}
