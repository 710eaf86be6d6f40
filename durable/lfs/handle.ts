// The Git LFS endpoints a repository's Durable Object answers, under {repo}.git/info/lfs/: the batch
// API (git-lfs docs/api/batch.md), the verify action (basic-transfers.md) and the locking API
// (locking.md). Each checks its own access, since what it needs depends on the body (a batch upload
// needs write, a download read; a forced unlock admin). The bytes never pass through here: batch
// answers point at the Worker's transfer route (worker/lfs/transfer.ts), which streams them to R2.
import { checkAccess } from "../access/gate";
import { atLeast, type Level, type Principal } from "../access/principal";
import { currentSettings } from "../access/repo-settings";
import { readJsonObject } from "../api/body";
import { isoTime } from "../api/event-json";
import { badParameter, parseLimit, readQuery } from "../api/params";
import { ApiError, describe, humanBytes, LFS_MEDIA_TYPE, lfsErrorResponse } from "../errors";
import type { Operation } from "../observe/operation";
import type { Repository } from "../repository";
import { LFS_OID, parseBatchRequest, refName, type BatchObject, type BatchRequest, type LfsOperation } from "./batch-request";
import { createLock, listLocks, lockById, ownsLock, removeLock, type Lock } from "./locks";
import { lfsKey, lfsSizes, recordLfsObject } from "./objects";

/** How long an action's href is good for, as the answer tells git-lfs (the transfer checks the caller's token again anyway). */
const EXPIRES_IN_SECONDS = 3600;

export interface LfsRequest {
  repo: Repository;
  request: Request;
  /** owner/name. */
  name: string;
  principal: Principal;
  bucket: R2Bucket;
  /** Creates the repository (registry, then store) when an upload is its first write. */
  create: () => Promise<void>;
  op: Operation | null;
}

/** Whether `path` is one of Git LFS's, under {repo}.git/info/lfs/. */
export function isLfsPath(path: string): boolean {
  return path.includes("/info/lfs/");
}

/** What a transfer may do, or why not (an RPC answer: thrown errors lose their status on the way). */
export type LfsGrant = { size: number | null } | { refused: { status: number; message: string } };

/** Whether `r`'s principal may upload or download object `oid`; a download learns the stored size (404 when absent). */
export function lfsGrant(r: Pick<LfsRequest, "repo" | "name" | "principal">, operation: LfsOperation, oid: string): LfsGrant {
  try {
    checkLfsAccess(r, operation === "upload" ? "write" : "read");
    if (operation === "upload") return { size: null };
    const size = lfsSizes(r.repo.sql, [oid]).get(oid);
    if (size === undefined) throw new ApiError(404, `object ${oid} is not on the server`);
    return { size };
  } catch (e) {
    const { status, error } = describe(e);
    return { refused: { status, message: error } };
  }
}

/** The answer to an LFS request; refusals as the LFS API's JSON errors. */
export async function handleLfs(r: LfsRequest): Promise<Response> {
  try {
    return await route(r);
  } catch (e) {
    r.op?.thrown(e);
    return lfsErrorResponse(e);
  }
}

/** Throws the gate's refusal unless `r`'s principal has `needed` in this repository. */
export function checkLfsAccess(r: Pick<LfsRequest, "repo" | "name" | "principal">, needed: Exclude<Level, "none">): void {
  checkAccess({ principal: r.principal, name: r.name, exists: r.repo.exists(), visibility: currentSettings(r.repo.sql).visibility, needed, git: true });
}

async function route(r: LfsRequest): Promise<Response> {
  const url = new URL(r.request.url);
  const rest = url.pathname.slice(url.pathname.indexOf("/info/lfs/") + "/info/lfs/".length);
  const method = r.request.method;
  const unlock = /^locks\/([^/]+)\/unlock$/.exec(rest);
  if (rest === "objects/batch" && method === "POST") return batch(r, url);
  if (rest === "verify" && method === "POST") return verify(r);
  if (rest === "locks" && method === "GET") return getLocks(r, url);
  if (rest === "locks" && method === "POST") return postLock(r);
  if (rest === "locks/verify" && method === "POST") return verifyLocks(r);
  if (unlock && method === "POST") return postUnlock(r, unlock[1]!);
  throw new ApiError(404, `no Git LFS route ${method} ${rest}`);
}

function lfsJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": LFS_MEDIA_TYPE } });
}

async function body(r: LfsRequest): Promise<Record<string, unknown>> {
  return readJsonObject(r.request, r.repo.settings.limits.apiBodyBytes);
}

async function batch(r: LfsRequest, url: URL): Promise<Response> {
  const request = parseBatchRequest(await body(r));
  checkLfsAccess(r, request.operation === "upload" ? "write" : "read");
  const valid = request.objects.filter((o) => o.invalid === undefined).map((o) => o.oid);
  const stored = lfsSizes(r.repo.sql, valid);
  const base = `${url.origin}${url.pathname.slice(0, url.pathname.indexOf("/info/lfs/"))}/info/lfs`;
  const auth = r.request.headers.get("Authorization");
  const header = auth ? { Authorization: auth } : undefined;
  const action = (href: string) => ({ href, ...(header ? { header } : {}), expires_in: EXPIRES_IN_SECONDS });
  const objects = request.objects.map((o) => batchAnswer(r, request, o, stored.get(o.oid), base, action));
  return lfsJson({ transfer: "basic", objects, hash_algo: "sha256" });
}

function batchAnswer(r: LfsRequest, request: BatchRequest, o: BatchObject, storedSize: number | undefined, base: string, action: (href: string) => object): object {
  const entry = { oid: o.oid, size: o.size };
  if (o.invalid !== undefined) return { ...entry, error: { code: 422, message: o.invalid } };
  if (request.operation === "download") {
    if (storedSize === undefined) return { ...entry, error: { code: 404, message: `object ${o.oid} is not on the server: push it from a clone that has it (git lfs push --all origin)` } };
    return { oid: o.oid, size: storedSize, authenticated: true, actions: { download: action(`${base}/objects/${o.oid}`) } };
  }
  const limit = r.repo.settings.objects.maxLfsBytes;
  if (o.size > limit) return { ...entry, error: { code: 422, message: `object ${o.oid} is ${humanBytes(o.size)}, over this server's limit of ${humanBytes(limit)} for one Git LFS object (MAX_LFS_OBJECT_BYTES)` } };
  // Already stored with this size: no actions, so git-lfs skips it.
  if (storedSize === o.size) return { ...entry, authenticated: true };
  return { ...entry, authenticated: true, actions: { upload: action(`${base}/objects/${o.oid}`), verify: action(`${base}/verify`) } };
}

/** The verify action: whether the upload of {oid, size} arrived whole. */
async function verify(r: LfsRequest): Promise<Response> {
  const { oid, size } = await body(r);
  if (typeof oid !== "string" || !LFS_OID.test(oid)) throw new ApiError(422, `invalid oid ${JSON.stringify(oid ?? null)}: expected 64 lower-case hex digits (sha256)`);
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) throw new ApiError(422, `invalid size ${JSON.stringify(size ?? null)}: expected a non-negative integer`);
  checkLfsAccess(r, "write");
  let stored = lfsSizes(r.repo.sql, [oid]).get(oid);
  if (stored === undefined) {
    // The upload's bytes may be in R2 without their row, if the request ended between the two.
    const head = await r.bucket.head(lfsKey(r.name, oid));
    if (head) await recordLfsUpload(r, oid, head.size);
    stored = head?.size;
  }
  if (stored === undefined) throw new ApiError(404, `object ${oid} was not uploaded: its bytes are not on the server; push again`);
  if (stored !== size) throw new ApiError(422, `object ${oid} is ${stored} bytes on the server, not ${size}`);
  return lfsJson({ oid, size });
}

/** Records an uploaded object, creating the repository if this is its first write (LFS uploads come before git's push). */
export async function recordLfsUpload(r: Pick<LfsRequest, "repo" | "principal" | "create">, oid: string, size: number): Promise<void> {
  if (!r.repo.exists()) await r.create();
  recordLfsObject(r.repo.sql, oid, size, r.principal.actor);
}

export function lockJson(lock: Lock): object {
  return { id: String(lock.id), path: lock.path, locked_at: isoTime(lock.lockedAt).replace(/\.\d{3}Z$/, "Z"), owner: { name: lock.owner } };
}

/** A path to lock: relative to the work tree's root, with no empty, "." or ".." segment. */
function lockPath(value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 4096) throw new ApiError(422, "invalid path: give the file's path from the repository's root, like assets/logo.psd");
  const bad = value.split("/").find((s) => s === "" || s === "." || s === ".." || s.includes("\0"));
  if (bad !== undefined) throw new ApiError(422, `invalid path ${JSON.stringify(value)}: give the file's path from the repository's root, with no empty, "." or ".." part`);
  return value;
}

/** The page size of a lock listing (limit in the query or the body). */
function lockLimit(value: unknown): number {
  return parseLimit(value === undefined ? undefined : String(value));
}

/** A lock id, or the cursor of a lock listing (the id a page ended at): decimal digits. */
function lockNumber(name: string, value: unknown): number | undefined {
  if (value === undefined || value === "") return undefined;
  if ((typeof value === "string" && /^\d{1,15}$/.test(value)) || (typeof value === "number" && Number.isSafeInteger(value) && value >= 0)) return Number(value);
  throw badParameter(name, `must be a lock id this server issued, got ${JSON.stringify(value)}`);
}

/** One page of locks, with the cursor of the next if there is one. */
function lockPage(r: LfsRequest, q: { path?: string; id?: number; after?: number; limit: number }): { locks: Lock[]; next_cursor?: string } {
  const rows = listLocks(r.repo.sql, { ...q, limit: q.limit + 1 });
  const locks = rows.slice(0, q.limit);
  return rows.length > q.limit ? { locks, next_cursor: String(locks[locks.length - 1]!.id) } : { locks };
}

function getLocks(r: LfsRequest, url: URL): Response {
  checkLfsAccess(r, "read");
  const query = readQuery(url, ["path", "id", "cursor", "limit", "refspec"]);
  const page = lockPage(r, { path: query.get("path") || undefined, id: lockNumber("id", query.get("id")), after: lockNumber("cursor", query.get("cursor")), limit: lockLimit(query.get("limit")) });
  return lfsJson({ locks: page.locks.map(lockJson), ...(page.next_cursor ? { next_cursor: page.next_cursor } : {}) });
}

async function postLock(r: LfsRequest): Promise<Response> {
  const { path, ref } = await body(r);
  checkLfsAccess(r, "write");
  const result = createLock(r.repo.sql, lockPath(path), refName(ref), r.principal);
  if ("existing" in result) return lfsJson({ lock: lockJson(result.existing), message: `${result.existing.path} is already locked by ${result.existing.owner}` }, 409);
  return lfsJson({ lock: lockJson(result.lock) }, 201);
}

/** Locks split into the caller's own (ours) and everyone else's (theirs), which git-lfs checks before a push. */
async function verifyLocks(r: LfsRequest): Promise<Response> {
  const { cursor, limit, ref } = await body(r);
  refName(ref);
  checkLfsAccess(r, "write");
  const page = lockPage(r, { after: lockNumber("cursor", cursor), limit: lockLimit(limit) });
  const ours = page.locks.filter((l) => ownsLock(l, r.principal));
  const theirs = page.locks.filter((l) => !ownsLock(l, r.principal));
  return lfsJson({ ours: ours.map(lockJson), theirs: theirs.map(lockJson), ...(page.next_cursor ? { next_cursor: page.next_cursor } : {}) });
}

async function postUnlock(r: LfsRequest, idText: string): Promise<Response> {
  const { force, ref } = await body(r);
  refName(ref);
  if (force !== undefined && typeof force !== "boolean") throw badParameter("force", "must be true or false");
  checkLfsAccess(r, "write");
  const id = lockNumber("id", idText)!;
  const lock = lockById(r.repo.sql, id);
  if (!lock) throw new ApiError(404, `no lock ${idText} in ${r.name}: git lfs locks lists the current ones`);
  if (!ownsLock(lock, r.principal)) {
    if (!force) throw new ApiError(403, `${lock.path} is locked by ${lock.owner}; only they can unlock it, or an admin with --force`);
    if (!atLeast(r.principal.access, "admin")) throw new ApiError(403, `${lock.path} is locked by ${lock.owner}; unlocking someone else's lock with --force needs a token with admin access to ${r.name}`);
  }
  removeLock(r.repo.sql, lock, r.principal);
  return lfsJson({ lock: lockJson(lock) });
}
