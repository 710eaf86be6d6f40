// Token secrets: how a token is written (a prefix that secret scanners can match, the token's id,
// then 160 random bits), how its salted hash is computed, and the constant-time comparison every
// secret check goes through.
import { bytesToHex } from "../pack/hex";

/** gow_<16 hex: id>_<40 hex: secret>; the whole string is what the client sends. */
export const TOKEN_PATTERN = /^gow_([0-9a-f]{16})_([0-9a-f]{40})$/;

function randomHex(bytes: number): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function newToken(): { id: string; token: string } {
  const id = randomHex(8);
  return { id, token: `gow_${id}_${randomHex(20)}` };
}

export function newSalt(): string {
  return randomHex(16);
}

/** SHA-256 of salt and secret. The secret has 160 random bits, so one fast hash suffices. */
export async function saltedHash(salt: string, secret: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${salt}:${secret}`)));
}

/** Compares two secrets in time that does not depend on where they differ (both are hashed first, so lengths match too). */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  return equalBytes(await saltedHash("", a), await saltedHash("", b));
}

/** Constant-time equality of two byte strings of the same length. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}
