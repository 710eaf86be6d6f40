// Verified puts into R2 (worker/lfs/r2-put.ts) on the local R2: one put, or parts above the part
// size; either way an object is visible only once its bytes hashed to its oid and were all there.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { putVerified } from "../../../worker/lfs/r2-put";
import { ApiError } from "../../../durable/errors";
import { Random } from "../../../bench/harness/random";
import type { Env } from "../../../worker/env";

const bucket = () => (env as unknown as Env).LFS;
const MiB = 1024 * 1024;
/** Parts of 5 MiB, R2's smallest, above 5 MiB. */
const PARTS = { single: 5 * MiB, part: 5 * MiB };

async function sha256(bytes: Uint8Array): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** `bytes` as a request body arrives: chunks of uneven sizes. */
function chunked(bytes: Uint8Array, chunk = 300_001): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

async function refusal(p: Promise<void>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error("accepted");
}

describe("putVerified in parts", () => {
  const bytes = new Random(7).bytes(11 * MiB + 123);

  it("stores an object of several parts whole", async () => {
    const oid = await sha256(bytes);
    await putVerified(bucket(), `t/${oid}`, chunked(bytes), oid, bytes.length, PARTS);
    const stored = await bucket().get(`t/${oid}`);
    expect(await sha256(new Uint8Array(await stored!.arrayBuffer()))).toBe(oid);
  });

  it("aborts when the bytes do not hash to the oid, or end short", async () => {
    const wrong = "d".repeat(64);
    expect((await refusal(putVerified(bucket(), `t/${wrong}`, chunked(bytes), wrong, bytes.length, PARTS))).status).toBe(422);
    const oid = await sha256(bytes);
    const short = await refusal(putVerified(bucket(), `t/short-${oid}`, chunked(bytes.subarray(0, 7 * MiB)), oid, bytes.length, PARTS));
    expect(short.message).toMatch(/ended after 7340032 of its 11534459 bytes/);
    expect(await bucket().head(`t/${wrong}`)).toBeNull();
    expect(await bucket().head(`t/short-${oid}`)).toBeNull();
  });
});
