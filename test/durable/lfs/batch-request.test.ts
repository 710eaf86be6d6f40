// The batch request's checks (durable/lfs/batch-request.ts): what refuses a request as a whole (422,
// or 409 for another hash algorithm) and what only marks one object of it.
import { describe, expect, it } from "vitest";
import { MAX_BATCH_OBJECTS, parseBatchRequest } from "../../../durable/lfs/batch-request";
import { ApiError } from "../../../durable/errors";

const OID = "a".repeat(64);

function refusal(body: Record<string, unknown>): { status: number; message: string } {
  try {
    parseBatchRequest(body);
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, message: e.message };
    throw e;
  }
  throw new Error("accepted");
}

describe("parseBatchRequest", () => {
  it("reads operation, ref and objects", () => {
    expect(parseBatchRequest({ operation: "upload", transfers: ["basic", "lfs-standalone-file"], ref: { name: "refs/heads/main" }, objects: [{ oid: OID, size: 5 }], hash_algo: "sha256" })).toEqual({
      operation: "upload",
      ref: "refs/heads/main",
      objects: [{ oid: OID, size: 5 }],
    });
    expect(parseBatchRequest({ operation: "download", objects: [{ oid: OID, size: 0 }] }).ref).toBeNull();
  });

  it("marks a bad oid or size on its own object", () => {
    const { objects } = parseBatchRequest({ operation: "download", objects: [{ oid: "A".repeat(64), size: 1 }, { oid: OID.slice(1), size: 1 }, { oid: OID, size: -1 }, { oid: OID, size: 1.5 }, { oid: OID }, "x"] });
    expect(objects.map((o) => o.invalid?.split(" ")[1])).toEqual(["oid", "oid", "size", "size", "size", "oid"]);
  });

  const bad: [string, Record<string, unknown>, number, RegExp][] = [
    ["no operation", { objects: [{ oid: OID, size: 1 }] }, 422, /operation must be/],
    ["an unknown operation", { operation: "delete", objects: [{ oid: OID, size: 1 }] }, 422, /operation must be/],
    ["no objects", { operation: "upload", objects: [] }, 422, /non-empty array/],
    ["objects not an array", { operation: "upload", objects: {} }, 422, /non-empty array/],
    ["too many objects", { operation: "upload", objects: Array.from({ length: MAX_BATCH_OBJECTS + 1 }, () => ({ oid: OID, size: 1 })) }, 422, /lfs.transfer.batchSize/],
    ["only other adapters", { operation: "upload", transfers: ["tus"], objects: [{ oid: OID, size: 1 }] }, 422, /only the basic transfer adapter/],
    ["transfers not strings", { operation: "upload", transfers: [1], objects: [{ oid: OID, size: 1 }] }, 422, /array of strings/],
    ["a ref without a name", { operation: "upload", ref: "main", objects: [{ oid: OID, size: 1 }] }, 422, /ref must be an object/],
    ["another hash algorithm", { operation: "upload", hash_algo: "sha512", objects: [{ oid: OID, size: 1 }] }, 409, /unsupported hash algorithm "sha512"/],
  ];
  for (const [what, body, status, message] of bad) {
    it(`refuses ${what} with ${status}`, () => {
      const r = refusal(body);
      expect(r.status).toBe(status);
      expect(r.message).toMatch(message);
    });
  }
});
