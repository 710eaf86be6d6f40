// Git LFS's basic transfers (git-lfs docs/api/basic-transfers.md): the PUT and GET that a batch
// answer's actions point at, {repo}.git/info/lfs/objects/{oid}. They run in the Worker, not in the
// repository's Durable Object: the bytes stream between the client and R2 (r2-put.ts on the way in,
// R2's own body on the way out, with Range), so a 5 GiB object costs the object one access check and
// one row, and never holds up the repository's git requests. The caller's token is checked again on
// every transfer, so a revoked token stops at once.
import { principalFor, type Caller } from "../auth/caller";
import type { Env } from "../env";
import { repoExists } from "../known-repos";
import { repoId } from "../names";
import { settings } from "../settings";
import { contentRange, parseRange } from "../http-range";
import { putVerified } from "./r2-put";
import type { LfsOperation } from "../../durable/lfs/batch-request";
import { LFS_OID } from "../../durable/lfs/batch-request";
import { lfsKey } from "../../durable/lfs/objects";
import { ApiError, humanBytes, LimitError, StorageError } from "../../durable/errors";
import { Operation } from "../../durable/observe/operation";
import type { Principal } from "../../durable/access/principal";
import type { IRequest } from "itty-router";

interface Target {
  id: string;
  oid: string;
  principal: Principal;
  stub: DurableObjectStub<import("../../durable/repo-object").RepoObject>;
  /** The stored size, for a download. */
  size: number | null;
}

/** The repository and object a transfer is for, once the caller may do `operation` with it. */
async function target(req: IRequest, env: Env, caller: Caller, operation: LfsOperation): Promise<Target> {
  const id = repoId(req.params.owner!, req.params.repo!);
  if (!id) throw new ApiError(404, "repository not found");
  const oid = req.params.oid!;
  if (!LFS_OID.test(oid)) throw new ApiError(422, `invalid oid ${JSON.stringify(oid)}: expected 64 lower-case hex digits (sha256)`);
  // An upload may be a repository's first write (git-lfs uploads before git pushes); a download of an unknown one stops here.
  if (operation === "download" && !(await repoExists(env, id))) throw new ApiError(404, "repository not found");
  const principal = principalFor(caller, id, settings(env).auth);
  const stub = env.REPO.get(env.REPO.idFromName(id));
  const grant = await stub.lfsGrant(id, principal, operation, oid);
  if ("refused" in grant) throw new ApiError(grant.refused.status, grant.refused.message);
  return { id, oid, principal, stub, size: grant.size };
}

function operation(name: string, env: Env, req: IRequest, t: Target): Operation {
  return new Operation(name, { repo: t.id, requestId: String(req.requestId), actor: t.principal.actor, metrics: env.METRICS });
}

/** Runs `work` as operation `op`: refused or failed by what it throws, and its line written when it ends. */
async function observed(op: Operation, work: (op: Operation) => Promise<Response>): Promise<Response> {
  try {
    return await work(op);
  } catch (e) {
    op.thrown(e);
    throw e;
  } finally {
    op.finish();
  }
}

/** PUT: stores the body under the object's key if it hashes to the oid, then records it in the repository. */
export async function uploadLfsObject(req: IRequest, env: Env, caller: Caller): Promise<Response> {
  const t = await target(req, env, caller, "upload");
  const declared = req.headers.get("Content-Length");
  if (declared === null || !/^\d{1,16}$/.test(declared)) throw new ApiError(411, "an upload needs a Content-Length header with the object's size");
  const size = Number(declared);
  const limit = settings(env).objects.maxLfsBytes;
  if (size > limit) throw new LimitError(`object ${t.oid} is ${humanBytes(size)}, over this server's limit of ${humanBytes(limit)} for one Git LFS object (MAX_LFS_OBJECT_BYTES)`);
  return observed(operation("lfs-upload", env, req, t), async (op) => {
    await putVerified(env.LFS, lfsKey(t.id, t.oid), req.body ?? new Blob([]).stream(), t.oid, size);
    await t.stub.lfsUploaded(t.id, t.principal, t.oid, size);
    op.bytesIn = size;
    return new Response(null, { status: 200 });
  });
}

/** GET: the object's bytes from R2, whole or one Range, with the oid as a strong ETag. */
export async function downloadLfsObject(req: IRequest, env: Env, caller: Caller): Promise<Response> {
  const t = await target(req, env, caller, "download");
  const size = t.size!;
  const etag = `"${t.oid}"`;
  const headers = new Headers({ ETag: etag, "Accept-Ranges": "bytes", "Cache-Control": "private, max-age=31536000, immutable" });
  if (req.headers.get("If-None-Match")?.split(",").some((tag) => tag.trim() === etag)) return new Response(null, { status: 304, headers });
  const range = parseRange(req.headers.get("Range"), size);
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  return observed(operation("lfs-download", env, req, t), async (op) => {
    const object = await env.LFS.get(lfsKey(t.id, t.oid), range === "whole" ? {} : { range });
    if (!object) throw new StorageError(`the bytes of LFS object ${t.oid} are missing from storage`);
    headers.set("Content-Type", "application/octet-stream");
    headers.set("Content-Length", String(range === "whole" ? size : range.length));
    if (range !== "whole") headers.set("Content-Range", contentRange(range, size));
    op.bytesOut = range === "whole" ? size : range.length;
    return new Response(object.body, { status: range === "whole" ? 200 : 206, headers });
  });
}
