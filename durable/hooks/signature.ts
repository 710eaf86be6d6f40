// X-Hub-Signature-256, the header GitHub's receivers already check: "sha256=" and the hex HMAC-SHA256
// of the exact body bytes, keyed with the hook's secret.
import { bytesToHex } from "../pack/hex";

export async function signature(secret: string, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return `sha256=${bytesToHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(body))))}`;
}
