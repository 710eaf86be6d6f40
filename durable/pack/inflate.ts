// zlib inflate for pack entries, returning a plain Uint8Array. node:zlib returns a Buffer, and under
// nodejs_compat every subarray of a Buffer builds another Buffer in JavaScript, which delta application
// and the object parsers do per instruction and per entry.
import { inflateSync } from "node:zlib";

export function inflate(input: Uint8Array): Uint8Array {
  const out = inflateSync(input);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
