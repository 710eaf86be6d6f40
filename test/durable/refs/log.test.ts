import { describe, expect, it } from "vitest";
import { GENESIS_HASH, eventHash, eventFromRow, EVENT_COLUMNS } from "../../../durable/refs/log";
import { inRepo } from "../../../bench/harness/in-repo";

const A = "a".repeat(40);
const B = "b".repeat(40);
const Z = "0".repeat(40);

describe("ref event log", () => {
  it("applies migrations at start-up", async () => {
    await inRepo((repo) => {
      const tables = repo.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").toArray().map((r) => r.name);
      for (const t of ["chunks", "files", "meta", "objects", "packs", "pushes", "ref_events", "refs"]) expect(tables).toContain(t);
    });
  });

  it("is append-only: UPDATE and DELETE fail", async () => {
    await inRepo((repo) => {
      repo.transaction(() => repo.refs.append([{ pushId: "p1", ref: "refs/heads/main", oldOid: Z, newOid: A, kind: "create", actor: "t" }]));
      expect(() => repo.sql.exec("UPDATE ref_events SET new_oid = ?", B)).toThrow(/append-only/);
      expect(() => repo.sql.exec("DELETE FROM ref_events")).toThrow(/append-only/);
      expect(repo.refs.get("refs/heads/main")).toBe(A);
    });
  });

  it("chains each event to the hash of the previous one", async () => {
    await inRepo((repo) => {
      repo.transaction(() =>
        repo.refs.append([
          { pushId: "p1", ref: "refs/heads/main", oldOid: Z, newOid: A, kind: "create", actor: "t" },
          { pushId: "p1", ref: "refs/heads/dev", oldOid: Z, newOid: B, kind: "create", actor: "t" },
        ]),
      );
      const rows = repo.sql.exec(`SELECT ${EVENT_COLUMNS} FROM ref_events ORDER BY seq`).toArray().map((r) => eventFromRow(r as never));
      expect(rows[0].prevHash).toBe(GENESIS_HASH);
      expect(rows[1].prevHash).toBe(eventHash(rows[0]));
    });
  });

  it("replaying ref_events reproduces refs exactly", async () => {
    await inRepo((repo) => {
      const steps: [string, string, string, "create" | "update" | "delete" | "force"][] = [
        ["refs/heads/main", Z, A, "create"],
        ["refs/heads/dev", Z, A, "create"],
        ["refs/heads/main", A, B, "update"],
        ["refs/tags/v1", Z, B, "create"],
        ["refs/heads/dev", A, Z, "delete"],
        ["refs/heads/main", B, A, "force"],
      ];
      for (const [ref, oldOid, newOid, kind] of steps) repo.transaction(() => repo.refs.append([{ pushId: crypto.randomUUID(), ref, oldOid, newOid, kind, actor: "t" }]));
      const replayed = new Map<string, string>();
      for (const e of repo.sql.exec<{ ref: string; new_oid: string }>("SELECT ref, new_oid FROM ref_events ORDER BY seq")) {
        if (e.new_oid === Z) replayed.delete(e.ref);
        else replayed.set(e.ref, e.new_oid);
      }
      expect(new Map([...replayed].sort())).toEqual(repo.refs.all());
      expect(repo.refs.all()).toEqual(new Map([["refs/heads/main", A], ["refs/tags/v1", B]]));
    });
  });

  it("keeps HEAD on an existing branch: main first, else the first branch pushed", async () => {
    await inRepo((repo) => {
      repo.transaction(() => repo.refs.append([{ pushId: "p", ref: "refs/heads/trunk", oldOid: Z, newOid: A, kind: "create", actor: "t" }]));
      repo.refs.repointHead(["refs/heads/trunk"]);
      expect(repo.refs.head()).toBe("refs/heads/trunk");
      repo.transaction(() => repo.refs.append([{ pushId: "p2", ref: "refs/heads/main", oldOid: Z, newOid: A, kind: "create", actor: "t" }]));
      repo.refs.repointHead(["refs/heads/main"]);
      expect(repo.refs.head()).toBe("refs/heads/trunk");
      repo.transaction(() => repo.refs.append([{ pushId: "p3", ref: "refs/heads/trunk", oldOid: A, newOid: Z, kind: "delete", actor: "t" }]));
      repo.refs.repointHead([]);
      expect(repo.refs.head()).toBe("refs/heads/main");
    });
  });
});
