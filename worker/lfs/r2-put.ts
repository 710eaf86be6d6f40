// Writes one Git LFS object to R2 from a request body, streamed, and keeps it only if its bytes hash
// to its oid and their count is the declared size: nothing is ever held whole in memory, and nothing
// unverified is ever visible under the object's key. Up to PUT_SIZES.single the body goes to R2 in
// one put that R2 itself checks against the SHA-256 (measured with `npm run bench:lfs`: as fast as a
// put without the check, in a third of the memory of hashing here); above, where R2 takes no single
// put, it goes as a multipart upload of PUT_SIZES.part parts, hashed on the way, completed only if the hash
// matches and aborted otherwise.
import { ApiError } from "../../durable/errors";
import { bytesToHex } from "../../durable/pack/hex";

export interface PutSizes {
  /** The largest object sent in one put (R2 takes up to 5 GiB less 5 MiB so). */
  single: number;
  /** The size of each part above (R2's parts are 5 MiB to 5 GiB, equal but for the last, at most 10,000). */
  part: number;
}

export const PUT_SIZES: PutSizes = { single: 4 * 1024 ** 3, part: 64 * 1024 * 1024 };

/** R2's error code for a put whose bytes do not match the checksum given with it. */
const CHECKSUM_MISMATCH = "(10037)";

function hashMismatch(oid: string): ApiError {
  return new ApiError(422, `the uploaded bytes do not hash to ${oid}: nothing was stored; upload again (git lfs push origin --all)`);
}

function shortBody(got: number, size: number): ApiError {
  return new ApiError(400, `the upload ended after ${got} of its ${size} bytes: nothing was stored; upload again`);
}

/** Stores `body` (exactly `size` bytes, per its Content-Length) under `key` if it hashes to `oid`. */
export async function putVerified(bucket: R2Bucket, key: string, body: ReadableStream<Uint8Array>, oid: string, size: number, sizes = PUT_SIZES): Promise<void> {
  if (size > sizes.single) return putInParts(bucket, key, body, oid, size, sizes.part);
  try {
    await bucket.put(key, body, { sha256: oid, httpMetadata: { contentType: "application/octet-stream" } });
  } catch (e) {
    if (String(e).includes(CHECKSUM_MISMATCH)) throw hashMismatch(oid);
    throw e;
  }
}

async function putInParts(bucket: R2Bucket, key: string, body: ReadableStream<Uint8Array>, oid: string, size: number, partBytes: number): Promise<void> {
  const upload = await bucket.createMultipartUpload(key, { httpMetadata: { contentType: "application/octet-stream" } });
  const source = new HashedBody(body, size);
  const parts: R2UploadedPart[] = [];
  try {
    for (let number = 1, start = 0; start < size; number++, start += partBytes) {
      const part = new FixedLengthStream(Math.min(partBytes, size - start));
      const uploaded = upload.uploadPart(number, part.readable);
      const writer = part.writable.getWriter();
      try {
        await source.copy(writer, Math.min(partBytes, size - start));
        await writer.close();
      } catch (e) {
        await writer.abort(e).catch(() => undefined);
        await uploaded.catch(() => undefined);
        throw e;
      }
      parts.push(await uploaded);
    }
    if ((await source.digest()) !== oid) throw hashMismatch(oid);
    await upload.complete(parts);
  } catch (e) {
    await upload.abort().catch(() => undefined);
    throw e;
  }
}

/** A request body read in pieces of given lengths, hashed with SHA-256 as it is read. */
class HashedBody {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly hash = new crypto.DigestStream("SHA-256");
  private readonly hasher = this.hash.getWriter();
  /** What is left of the last chunk read, after the previous piece took its share. */
  private carry: Uint8Array | null = null;
  private got = 0;

  constructor(
    body: ReadableStream<Uint8Array>,
    private readonly size: number,
  ) {
    this.reader = body.getReader();
  }

  /** Writes the next `length` bytes to `writer`. */
  async copy(writer: WritableStreamDefaultWriter<Uint8Array>, length: number): Promise<void> {
    for (let written = 0; written < length; ) {
      const chunk = this.carry ?? (await this.next());
      const take = Math.min(chunk.length, length - written);
      this.carry = take < chunk.length ? chunk.subarray(take) : null;
      await writer.write(take < chunk.length ? chunk.subarray(0, take) : chunk);
      written += take;
    }
  }

  /** The SHA-256 of the whole body (hex), once every byte was copied. */
  async digest(): Promise<string> {
    if (this.carry || !(await this.reader.read()).done) throw new ApiError(400, `the upload is longer than its ${this.size} bytes: nothing was stored`);
    await this.hasher.close();
    return bytesToHex(new Uint8Array(await this.hash.digest));
  }

  private async next(): Promise<Uint8Array> {
    const { value, done } = await this.reader.read();
    if (done) throw shortBody(this.got, this.size);
    this.got += value.length;
    await this.hasher.write(value);
    return value;
  }
}
