import { describe, expect, it } from "vitest";
import { bytesToHex } from "../../durable/pack/hex";
import { CHUNK_SIZE } from "../../durable/store/dofs";
import { inRepo } from "./helpers";

function pattern(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed + (i >> 9)) & 0xff;
  return out;
}

describe("DOFS", () => {
  it("stores a file as chunks of at most 512 KiB and reads any range across chunk boundaries", async () => {
    await inRepo((repo) => {
      const data = pattern(CHUNK_SIZE * 2 + 12345);
      const writer = repo.dofs.create("packs/a.pack");
      for (let p = 0; p < data.length; p += 100_000) writer.write(data.subarray(p, p + 100_000));
      expect(writer.close()).toBe(data.length);
      const sizes = repo.sql.exec<{ n: number }>("SELECT length(data) AS n FROM chunks WHERE file_id = ? ORDER BY idx", writer.id).toArray().map((r) => r.n);
      expect(sizes).toEqual([CHUNK_SIZE, CHUNK_SIZE, 12345]);
      const id = repo.dofs.stat("packs/a.pack")!.id;
      for (const [a, b] of [[0, 10], [CHUNK_SIZE - 5, CHUNK_SIZE + 5], [CHUNK_SIZE - 1, CHUNK_SIZE * 2 + 1], [0, data.length], [data.length - 3, data.length]]) {
        // Compared as hex: toEqual walks a megabyte of elements one by one, slowly enough to time out under load.
        expect(bytesToHex(repo.dofs.read(id, a, b))).toBe(bytesToHex(data.subarray(a, b)));
      }
      expect(repo.dofs.read(id, 5, 5)).toEqual(new Uint8Array(0));
      expect(() => repo.dofs.read(id, data.length - 1, data.length + 1)).toThrow(/short/);
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
      const parts = [...repo.dofs.chunks(repo.dofs.stat("dir/x")!.id)];
      expect(parts.map((p) => p.length)).toEqual([CHUNK_SIZE, 7]);
      repo.dofs.writeFile("dir/x", pattern(2));
      expect(repo.dofs.readFile("dir/x")).toEqual(pattern(2));
      repo.dofs.delete("dir/x");
      expect(repo.dofs.readFile("dir/x")).toBeNull();
      expect(repo.sql.exec("SELECT count(*) AS n FROM chunks").one().n).toBe(1);
    });
  });
});
