// Helpers of the Git LFS tests: objects with their sha256 oids, and the LFS API's requests as
// git-lfs sends them, through the Worker in token mode.
import { bearer, send, tokenEnv } from "./worker";
import type { Env } from "../../../worker/env";

export const LFS_JSON = "application/vnd.git-lfs+json";

export interface LfsObject {
  oid: string;
  size: number;
  bytes: Uint8Array;
}

export async function lfsObject(text: string): Promise<LfsObject> {
  const bytes = new TextEncoder().encode(text);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return { oid: [...hash].map((b) => b.toString(16).padStart(2, "0")).join(""), size: bytes.length, bytes };
}

/** A fresh repository name, so that tests do not share storage. */
export function repoName(): string {
  return `lfs/r${crypto.randomUUID().slice(0, 8)}`;
}

function auth(token: string | null, init: RequestInit): RequestInit {
  return token === null ? init : bearer(token, init);
}

/** An LFS API call (path after {repo}.git/info/lfs/), answered with its JSON. */
export async function lfsCall(repo: string, path: string, token: string | null, init: RequestInit = {}, vars: Env = tokenEnv()): Promise<{ status: number; body: any; headers: Headers }> {
  const headers = { Accept: LFS_JSON, ...(init.body ? { "Content-Type": LFS_JSON } : {}) };
  const res = await send(new Request(`http://x/${repo}.git/info/lfs/${path}`, auth(token, { ...init, headers })), vars);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

export function batch(repo: string, token: string | null, operation: "upload" | "download", objects: { oid: string; size: number }[], vars?: Env) {
  return lfsCall(repo, "objects/batch", token, { method: "POST", body: JSON.stringify({ operation, transfers: ["basic"], objects, hash_algo: "sha256" }) }, vars);
}

export function upload(repo: string, token: string | null, o: { oid: string; bytes: Uint8Array }, vars?: Env): Promise<Response> {
  return send(new Request(`http://x/${repo}.git/info/lfs/objects/${o.oid}`, auth(token, { method: "PUT", body: o.bytes, headers: { "Content-Type": "application/octet-stream", "Content-Length": String(o.bytes.length) } })), vars);
}

export function download(repo: string, token: string | null, oid: string, headers: Record<string, string> = {}, vars?: Env): Promise<Response> {
  return send(new Request(`http://x/${repo}.git/info/lfs/objects/${oid}`, auth(token, { headers })), vars);
}
