// The cost counters (durable/observe/counters.ts) over the real local SQLite and R2: rows read and
// written by statements, and R2 calls by class, multipart uploads' parts included.
import { describe, expect, it } from "vitest";
import { Counters } from "../../../durable/observe/counters";
import { inRepo, testEnv } from "../../../bench/harness/in-repo";

describe("Counters", () => {
  it("sums the rows each statement read and wrote", async () => {
    await inRepo(async (repo) => {
      const before = repo.counters.snapshot();
      repo.sql.exec("INSERT INTO meta (key, value) VALUES ('a', '1'), ('b', '2')");
      repo.sql.exec("SELECT * FROM meta").toArray();
      const after = repo.counters.snapshot();
      expect(after.rowsWritten - before.rowsWritten).toBeGreaterThanOrEqual(2);
      expect(after.rowsRead - before.rowsRead).toBeGreaterThanOrEqual(2);
    });
  });

  it("counts R2 reads as class B, writes and each part of a multipart upload as class A, deletes as free", async () => {
    const counters = new Counters();
    const bucket = counters.countR2(testEnv.ARCHIVE);
    const key = `counters/${crypto.randomUUID()}`;
    await bucket.put(key, "x");
    await (await bucket.get(key))?.text();
    await bucket.head(key);
    await bucket.delete(key);
    expect(counters.snapshot()).toMatchObject({ r2ClassA: 1, r2ClassB: 2 });
    const upload = await bucket.createMultipartUpload(`${key}-big`);
    const part = await upload.uploadPart(1, new Uint8Array(5 * 1024 * 1024));
    await upload.complete([part]);
    expect(counters.snapshot()).toMatchObject({ r2ClassA: 4, r2ClassB: 2 });
    await bucket.resumeMultipartUpload(`${key}-other`, (await bucket.createMultipartUpload(`${key}-other`)).uploadId).abort();
    expect(counters.snapshot().r2ClassA).toBe(5);
  });
});
