// The Git LFS Batch API's request, checked (git-lfs docs/api/batch.md, "Requests"): a JSON object
// with `operation` (download or upload), optional `transfers`, `ref` and `hash_algo`, and `objects`,
// each an oid and a size. Pure: bytes already parsed as JSON in, a request or a refusal out.
// A bad request as a whole is refused (422, the batch API's validation error); a bad object is
// kept, with the error its own entry of the answer carries, since git-lfs shows per-object errors
// beside the objects that did transfer.
import { ApiError } from "../errors";

export type LfsOperation = "download" | "upload";

/** One object of a batch: a well-formed oid and size, or the reason it is not. */
export type BatchObject = { oid: string; size: number; invalid?: undefined } | { oid: string; size: number; invalid: string };

export interface BatchRequest {
  operation: LfsOperation;
  /** The ref the client named (`ref.name`), if any. */
  ref: string | null;
  objects: BatchObject[];
}

/** git-lfs sends at most lfs.transfer.batchSize objects (100 by default) in one request; 500 stay under MAX_API_BODY_BYTES. */
export const MAX_BATCH_OBJECTS = 500;

/** SHA-256, lower-case hex, as git-lfs names objects. */
export const LFS_OID = /^[0-9a-f]{64}$/;

/** The request in `body`, or a thrown 422 (or 409 for a hash algorithm other than sha256). */
export function parseBatchRequest(body: Record<string, unknown>): BatchRequest {
  const { operation, transfers, ref, objects, hash_algo: hashAlgo } = body;
  if (operation !== "download" && operation !== "upload") throw invalid(`operation must be "download" or "upload", got ${JSON.stringify(operation)}`);
  if (transfers !== undefined && (!Array.isArray(transfers) || !transfers.every((t) => typeof t === "string"))) throw invalid("transfers must be an array of strings");
  // The basic adapter is the only one served; the spec has the server assume it when transfers is absent.
  if (Array.isArray(transfers) && transfers.length > 0 && !transfers.includes("basic")) throw invalid(`this server offers only the basic transfer adapter; the client offered ${transfers.join(", ")}`);
  if (hashAlgo !== undefined && hashAlgo !== "sha256") throw new ApiError(409, `unsupported hash algorithm ${JSON.stringify(hashAlgo)}: this server names objects by sha256`);
  if (!Array.isArray(objects) || objects.length === 0) throw invalid("objects must be a non-empty array");
  if (objects.length > MAX_BATCH_OBJECTS) throw invalid(`at most ${MAX_BATCH_OBJECTS} objects per batch, got ${objects.length}; lower lfs.transfer.batchSize`);
  return { operation, ref: refName(ref), objects: objects.map(batchObject) };
}

/** The `ref` property: absent, null, or { name: string }. */
export function refName(ref: unknown): string | null {
  if (ref === undefined || ref === null) return null;
  if (typeof ref !== "object" || typeof (ref as { name?: unknown }).name !== "string") throw invalid('ref must be an object like {"name": "refs/heads/main"}');
  return (ref as { name: string }).name;
}

function batchObject(o: unknown): BatchObject {
  const { oid, size } = (typeof o === "object" && o !== null ? o : {}) as { oid?: unknown; size?: unknown };
  const text = typeof oid === "string" ? oid : String(oid ?? "");
  const n = typeof size === "number" ? size : NaN;
  if (!LFS_OID.test(text)) return { oid: text, size: Number.isSafeInteger(n) ? n : 0, invalid: `invalid oid ${JSON.stringify(text)}: expected 64 lower-case hex digits (sha256)` };
  if (!Number.isSafeInteger(n) || n < 0) return { oid: text, size: 0, invalid: `invalid size ${JSON.stringify(size ?? null)}: expected a non-negative integer` };
  return { oid: text, size: n };
}

function invalid(detail: string): ApiError {
  return new ApiError(422, `invalid batch request: ${detail}`);
}
