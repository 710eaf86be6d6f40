// Hex conversion of object ids.
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function bytesToHex(bytes: Uint8Array): string {
  return hexAt(bytes, 0, bytes.length);
}

/** The hex of `length` bytes (an object id's 20 by default) at `bytes[at]`. */
export function hexAt(bytes: Uint8Array, at: number, length = 20): string {
  let s = "";
  for (let i = at; i < at + length; i++) s += HEX[bytes[i]];
  return s;
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
  throw new Error("object id is not lowercase hex");
}
