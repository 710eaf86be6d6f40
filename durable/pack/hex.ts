// Hex conversion of object ids.
import { ProtocolError } from "../errors";

export function bytesToHex(bytes: Uint8Array): string {
  return hexAt(bytes, 0, bytes.length);
}

/** Character codes of the hex digits. */
const DIGITS = Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
/** Bytes converted per string made in one piece. */
const FLAT_BYTES = 64;
const chars = new Uint8Array(2 * FLAT_BYTES);

/**
 * The hex of `length` bytes (an object id's 20 by default) at `bytes[at]`, made in one piece: a string
 * built by `+=` is a chain of some 15 nodes until first hashed, and a walk of git's history holds
 * tens of thousands of ids at a time.
 */
export function hexAt(bytes: Uint8Array, at: number, length = 20): string {
  if (length > FLAT_BYTES) return hexAt(bytes, at, FLAT_BYTES) + hexAt(bytes, at + FLAT_BYTES, length - FLAT_BYTES);
  for (let i = 0; i < length; i++) {
    const b = bytes[at + i]!;
    chars[2 * i] = DIGITS[b >> 4]!;
    chars[2 * i + 1] = DIGITS[b & 15]!;
  }
  return String.fromCharCode.apply(null, chars.subarray(0, 2 * length) as unknown as number[]);
}

/** Writes the bytes of the hex id `hex` into `into` at `at`. */
export function writeHexBytes(hex: string, into: Uint8Array, at: number): void {
  for (let k = 0; k < hex.length / 2; k++) into[at + k] = (hexDigit(hex.charCodeAt(2 * k)) << 4) | hexDigit(hex.charCodeAt(2 * k + 1));
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  writeHexBytes(hex, out, 0);
  return out;
}

/** The value of one lowercase hex digit given as a character code (an ASCII byte is one too). */
export function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  throw new ProtocolError("object id is not lowercase hex");
}
