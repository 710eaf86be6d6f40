// Copies one claimed pack from its repository to R2 and verifies the copy: a single put for a small
// pack, else a multipart upload of equal 8 MiB parts read from the repository one part at a time.
// Returns once R2 holds an object whose size and SHA-1 match what was read.
import { StorageError } from "../../durable/errors";
import { createHash } from "node:crypto";
import type { ArchiveTask } from "../../durable/archive/jobs";
import { bytesToHex } from "../../durable/pack/hex";

/** R2 multipart parts must be at least 5 MiB and equal in size, except the last. */
export const PART_BYTES = 8 * 1024 * 1024;

/** The repository's side, as the archive job sees it. */
export interface PackSource {
  readPack(packId: number, start: number, end: number): Promise<Uint8Array>;
  recordUpload(packId: number, uploadId: string | null): Promise<void>;
}

/** Test hook: called between steps; throwing simulates a crash there. */
export type FaultHook = (step: "mid-upload" | "after-upload" | "after-commit") => void;

export async function copyPackToR2(bucket: R2Bucket, source: PackSource, task: ArchiveTask, fault?: FaultHook): Promise<void> {
  if (task.staleUploadId) {
    await bucket.resumeMultipartUpload(task.key, task.staleUploadId).abort().catch(() => undefined);
    await source.recordUpload(task.packId, null);
  }
  const existing = await bucket.head(task.key);
  // A copy completed by an earlier job that died before its commit: verify it instead of uploading again.
  if (existing && existing.size === task.bytes && (await r2Sha1(bucket, task.key)) === (await sourceSha1(source, task))) return;
  const sha = task.bytes <= PART_BYTES ? await putWhole(bucket, source, task) : await putInParts(bucket, source, task, fault);
  const stored = await bucket.head(task.key);
  if (!stored || stored.size !== task.bytes) throw new StorageError(`R2 copy of pack ${task.packId} has ${stored?.size ?? "no"} bytes, expected ${task.bytes}`);
  if ((await r2Sha1(bucket, task.key)) !== sha) throw new StorageError(`R2 copy of pack ${task.packId} does not match what was read`);
}

async function putWhole(bucket: R2Bucket, source: PackSource, task: ArchiveTask): Promise<string> {
  const data = await source.readPack(task.packId, 0, task.bytes);
  checkTrailer(task, data);
  const sha1 = createHash("sha1").update(data).digest("hex");
  await bucket.put(task.key, data, { sha1 });
  return sha1;
}

async function putInParts(bucket: R2Bucket, source: PackSource, task: ArchiveTask, fault?: FaultHook): Promise<string> {
  const upload = await bucket.createMultipartUpload(task.key);
  await source.recordUpload(task.packId, upload.uploadId);
  const sha = createHash("sha1");
  const parts: R2UploadedPart[] = [];
  let last: Uint8Array = new Uint8Array(0);
  for (let start = 0, n = 1; start < task.bytes; start += PART_BYTES, n++) {
    const data = await source.readPack(task.packId, start, Math.min(task.bytes, start + PART_BYTES));
    sha.update(data);
    parts.push(await upload.uploadPart(n, data));
    last = data;
    if (n === 1) fault?.("mid-upload");
  }
  checkTrailer(task, last);
  await upload.complete(parts);
  await source.recordUpload(task.packId, null);
  return sha.digest("hex");
}

/** The pack's last 20 bytes are its own SHA-1 trailer, recorded when it was pushed. */
function checkTrailer(task: ArchiveTask, tail: Uint8Array): void {
  const trailer = bytesToHex(tail.subarray(tail.length - 20));
  if (trailer !== task.checksum) throw new StorageError(`pack ${task.packId} ends in ${trailer}, not its checksum ${task.checksum}`);
}

async function r2Sha1(bucket: R2Bucket, key: string): Promise<string | null> {
  const object = await bucket.get(key);
  if (!object) return null;
  const sha = createHash("sha1");
  const reader = object.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return sha.digest("hex");
    sha.update(value);
  }
}

async function sourceSha1(source: PackSource, task: ArchiveTask): Promise<string> {
  const sha = createHash("sha1");
  for (let start = 0; start < task.bytes; start += PART_BYTES) sha.update(await source.readPack(task.packId, start, Math.min(task.bytes, start + PART_BYTES)));
  return sha.digest("hex");
}
