import { describe, expect, it } from "vitest";
import { bytesToHex } from "../../../durable/pack/hex";
import { CHUNK_SIZE, DofsWriter } from "../../../durable/store/dofs";
import { inRepo } from "../../../bench/harness/in-repo";

function pattern(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed + (i >> 9)) & 0xff;
  return out;
}

describe("DOFS", () => {
  it("stores a file as chunks of 64 KiB and reads any range across chunk boundaries", async () => {
    await inRepo((repo) => {
      const data = pattern(CHUNK_SIZE * 2 + 12345);
      const writer = repo.dofs.create("packs/a.pack");
      for (let p = 0; p < data.length; p += 100_000) writer.write(data.subarray(p, p + 100_000));
      expect(writer.close()).toBe(data.length);
      const sizes = repo.sql.exec<{ n: number }>("SELECT length(data) AS n FROM chunks WHERE file_id = ? ORDER BY idx", writer.id).toArray().map((r) => r.n);
      expect(sizes).toEqual([CHUNK_SIZE, CHUNK_SIZE, 12345]);
      const file = repo.dofs.stat("packs/a.pack")!;
      for (const [a, b] of [[0, 10], [CHUNK_SIZE - 5, CHUNK_SIZE + 5], [CHUNK_SIZE - 1, CHUNK_SIZE * 2 + 1], [0, data.length], [data.length - 3, data.length]]) {
        // Compared as hex: toEqual walks a megabyte of elements one by one, slowly enough to time out under load.
        expect(bytesToHex(repo.dofs.read(file, a, b))).toBe(bytesToHex(data.subarray(a, b)));
      }
      expect(repo.dofs.read(file, 5, 5)).toEqual(new Uint8Array(0));
      expect(() => repo.dofs.read(file, data.length - 1, data.length + 1)).toThrow(/short/);
    });
  });

  it("reads a file written before chunks were 64 KiB by its own 512 KiB chunks", async () => {
    await inRepo((repo) => {
      const old = 512 * 1024;
      const data = pattern(old + 100);
      // A row as the first migration made it: no chunk_size column yet, so it takes the column's default.
      const id = repo.sql.exec<{ id: number }>("INSERT INTO files (path, size, mtime) VALUES ('packs/old.pack', 0, 0) RETURNING id").one().id;
      const writer = new DofsWriter(repo.sql, { id, chunkSize: old });
      writer.write(data);
      writer.close();
      const file = repo.dofs.stat("packs/old.pack")!;
      expect(file.chunkSize).toBe(old);
      expect(repo.sql.exec("SELECT count(*) AS n FROM chunks WHERE file_id = ?", id).one().n).toBe(2);
      expect(bytesToHex(repo.dofs.read(file, old - 3, old + 3))).toBe(bytesToHex(data.subarray(old - 3, old + 3)));
      expect([...repo.dofs.chunks(file)].map((p) => p.length)).toEqual([old, 100]);
    });
  });

  it("reads bytes not yet flushed from an open writer", async () => {
    await inRepo((repo) => {
      const data = pattern(CHUNK_SIZE + 1000);
      const writer = repo.dofs.create("open");
      writer.write(data);
      expect(writer.read(repo.dofs, CHUNK_SIZE - 10, CHUNK_SIZE + 10)).toEqual(data.subarray(CHUNK_SIZE - 10, CHUNK_SIZE + 10));
    });
  });

  it("streams chunks, replaces, lists and deletes files", async () => {
    await inRepo((repo) => {
      const data = pattern(CHUNK_SIZE + 7);
      repo.dofs.writeFile("dir/x", data);
      repo.dofs.writeFile("dir/y", pattern(3));
      expect(repo.dofs.list("dir/")).toEqual(["dir/x", "dir/y"]);
      const parts = [...repo.dofs.chunks(repo.dofs.stat("dir/x")!)];
      expect(parts.map((p) => p.length)).toEqual([CHUNK_SIZE, 7]);
      repo.dofs.writeFile("dir/x", pattern(2));
      expect(repo.dofs.readFile("dir/x")).toEqual(pattern(2));
      repo.dofs.delete("dir/x");
      expect(repo.dofs.readFile("dir/x")).toBeNull();
      expect(repo.sql.exec("SELECT count(*) AS n FROM chunks").one().n).toBe(1);
    });
  });

  it("takes a discarded file out of reach at once and deletes its chunks later, giving way as it goes", async () => {
    await inRepo(async (repo) => {
      const writer = repo.dofs.create("packs/big.pack");
      writer.write(pattern(CHUNK_SIZE * 200 + 1));
      writer.close();
      const chunks = () => repo.sql.exec<{ n: number }>("SELECT count(*) AS n FROM chunks WHERE file_id = ?", writer.id).one().n;
      repo.dofs.discard("packs/big.pack");
      expect(repo.dofs.stat("packs/big.pack")).toBeNull();
      expect(chunks()).toBe(201);
      let turns = 0;
      const counter = setInterval(() => turns++, 0);
      try {
        await repo.dofs.emptyTrash();
      } finally {
        clearInterval(counter);
      }
      expect(chunks()).toBe(0);
      expect(repo.dofs.list("")).toEqual([]);
      expect(turns).toBeGreaterThanOrEqual(3);
    });
  });
});
