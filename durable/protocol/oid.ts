// SHA-1 object ids as they appear on the wire: 40 lowercase hex digits
// (gitprotocol-pack.adoc, "Server and client MUST use lowercase for obj-id").
export const ZERO_OID = "0".repeat(40);

export function isOid(s: string): boolean {
  return /^[0-9a-f]{40}$/.test(s);
}
