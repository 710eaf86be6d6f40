// The streamed path for objects over BIG_OBJECT_BYTES (worker/settings.ts): their compressed bytes are
// read a piece at a time (from the push's byte window, or in the pieces a stored pack is read in),
// inflated into one fixed buffer, and the content hashed and written to a scratch file as it is
// produced, so that no such object is ever whole in memory. A delta on a big base reads the base from its scratch file by
// ranges (delta-stream.ts). Scratch files cost a write of the content to SQLite, against an isolate
// of 128 MB that cannot hold a 100 MB object next to anything else.
import { createHash, type Hash } from "node:crypto";
import { InflateError, PackError } from "../errors";
import type { ByteWindow } from "./byte-window";
import type { RangeReader } from "./delta-stream";
import { typeName } from "./types";
import { InflateStream } from "./zlib-stream";

/** Content inflated at a time. */
const OUT_BYTES = 1 << 20;

let out: Uint8Array | null = null;

/** Compressed bytes in order: the next ones to read, and how to get more. */
export interface CompressedInput {
  view(): Uint8Array;
  consume(n: number): void;
  /** Reads more; false at the end. */
  more(): Promise<boolean>;
}

/** The entry at the front of the push's window; what is consumed goes into the pack's checksum. */
export function compressedIn(win: ByteWindow, sha: Hash): CompressedInput {
  return {
    view: () => win.view(),
    consume: (n) => sha.update(win.consume(n)),
    more: async () => {
      const before = win.available;
      await win.fill(before + 1);
      return win.available > before;
    },
  };
}

/** A stored entry's compressed bytes, from the pieces its pack is read in (PackCatalogue.pieces). */
export function piecesIn(pieces: AsyncIterable<Uint8Array>): CompressedInput {
  const iterator = pieces[Symbol.asyncIterator]();
  let piece = new Uint8Array(0);
  return {
    view: () => piece,
    consume: (n) => {
      piece = piece.subarray(n);
    },
    more: async () => {
      const next = await iterator.next();
      if (next.done) return false;
      const joined = new Uint8Array(piece.length + next.value.length);
      joined.set(piece, 0);
      joined.set(next.value, piece.length);
      piece = joined;
      return next.value.length > 0;
    },
  };
}

/** Inflates the zlib stream at the front of `input`, exactly `size` bytes, handing on its content a piece at a time. */
export async function inflateStreamed(input: CompressedInput, size: number, offset: number, onPiece: (piece: Uint8Array) => void): Promise<void> {
  out ??= new Uint8Array(OUT_BYTES);
  const inflater = new InflateStream(size);
  try {
    for (;;) {
      const view = input.view();
      const step = inflater.push(view, out);
      input.consume(step.used);
      if (step.written > 0) onPiece(out.subarray(0, step.written));
      if (inflater.ended) return;
      if (step.used === view.length && !(await input.more())) {
        inflater.endOfInput();
        return;
      }
    }
  } catch (e) {
    if (e instanceof InflateError) throw new PackError(e.truncated ? `pack is truncated inside the entry at offset ${offset}` : `entry at offset ${offset} is corrupt: ${e.message}`);
    throw e;
  } finally {
    inflater.close();
  }
}

/** Where a big object's content goes as it is produced. */
export interface ScratchSink {
  write(bytes: Uint8Array): void;
  close(): RangeReader;
}

/** A big object being produced: hashed as "<type> <size>\0<content>" and written to its scratch file. */
export class BigResult {
  private readonly hash = createHash("sha1");
  private started = false;

  constructor(
    private readonly scratch: ScratchSink,
    readonly type: number,
  ) {}

  /** The next piece of content; `size` is the whole object's. */
  add(piece: Uint8Array, size: number): void {
    this.start(size);
    this.hash.update(piece);
    this.scratch.write(piece);
  }

  /** The object's id, and its content by ranges. */
  finish(size: number): { oid: string; reader: RangeReader } {
    this.start(size);
    return { oid: this.hash.digest("hex"), reader: this.scratch.close() };
  }

  private start(size: number): void {
    if (this.started) return;
    this.started = true;
    this.hash.update(`${typeName(this.type)} ${size}\0`);
  }
}
