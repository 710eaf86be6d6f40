// zlib inflate for pack entries (RFC 1950 streams, gitformat-pack.adoc "Object entries"), through the
// native zlib engine behind node:zlib's stream classes, driven directly: it writes into a buffer the
// caller owns and reports how much input the stream used. So an entry's end in a pack is known from one
// pass, and no output buffer is allocated per entry. inflateSync can do neither: it returns a fresh
// Buffer and hides how many input bytes it read. The engine (zlib-stream.ts) is the native one behind
// a node:zlib Inflate.
import { constants, createInflate } from "node:zlib";
import { InflateError } from "../errors";
import { Engine } from "./zlib-stream";

let shared: Engine | null = null;

/**
 * Inflates the zlib stream at the start of `input` into the front of `out`, which needs room for
 * `size` + 1 bytes, and returns how many input bytes the stream took (bytes after it are ignored).
 * The stream must hold exactly `size` bytes: the spare byte tells a longer stream from one that ends.
 */
export function inflateInto(input: Uint8Array, out: Uint8Array, size: number): number {
  shared ??= new Engine(createInflate());
  let step: { used: number; written: number };
  try {
    step = shared.run(constants.Z_FINISH, input, out, size + 1);
  } finally {
    shared.reset();
  }
  if (step.written > size) throw new InflateError(`stream inflates to more than ${size} bytes`, false);
  if (step.written !== size) throw new InflateError(`stream inflates to ${step.written} bytes, not ${size}`, false);
  return step.used;
}

/** Inflates a zlib stream that holds exactly `size` bytes into a new array. */
export function inflate(input: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size + 1);
  inflateInto(input, out, size);
  return out.subarray(0, size);
}

/** Transient results up to this size share one buffer; larger ones get their own. */
const SCRATCH_MAX = 1 << 20;
let scratch = new Uint8Array(1 << 16);

/**
 * Room for `size` + 1 bytes of data used at once (a delta is applied, then dropped): a buffer shared by
 * every caller, valid only until the next call, or a new array for large data.
 */
export function scratchFor(size: number): Uint8Array {
  if (size >= SCRATCH_MAX) return new Uint8Array(size + 1);
  if (scratch.length <= size) scratch = new Uint8Array(Math.min(SCRATCH_MAX, Math.max(size + 1, scratch.length * 2)));
  return scratch;
}

/** Like inflate, into scratchFor's buffer. */
export function inflateTransient(input: Uint8Array, size: number): Uint8Array {
  const out = scratchFor(size);
  inflateInto(input, out, size);
  return out.subarray(0, size);
}
