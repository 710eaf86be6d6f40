// The settings log (durable/access/repo-settings.ts): private and unprotected until changed, one
// event per real change naming who made it, nothing for a change to the same values, and a log that
// cannot be rewritten.
import { describe, expect, it } from "vitest";
import { changeSettings, currentSettings, settingsEventPage } from "../../../durable/access/repo-settings";
import { inRepo } from "../../../bench/harness/in-repo";

const alice = { actor: "alice", actorId: "a1", access: "admin" as const, presented: true, writesLocked: null };

describe("repository settings", () => {
  it("are private and unprotected at first", async () => {
    await inRepo((repo) => expect(currentSettings(repo.sql)).toEqual({ visibility: "private", protection: [], description: "", deleted: false }));
  });

  it("append an event per change with its actor, and none for no change", async () => {
    await inRepo((repo) => {
      const rules = [{ pattern: "refs/heads/main", forcePush: false, deletion: false }];
      expect(changeSettings(repo.sql, { visibility: "public" }, alice, 10)).toMatchObject({ seq: 1, actor: "alice", actorId: "a1", at: 10, visibility: "public", protection: null });
      expect(changeSettings(repo.sql, { visibility: "public" }, alice, 11)).toBeNull();
      expect(changeSettings(repo.sql, { visibility: "public", protection: rules }, alice, 12)).toMatchObject({ seq: 2, visibility: null, protection: rules });
      expect(currentSettings(repo.sql)).toEqual({ visibility: "public", protection: rules, description: "", deleted: false });
      expect(settingsEventPage(repo.sql, "desc", undefined, 10).map((e) => e.seq)).toEqual([2, 1]);
      expect(settingsEventPage(repo.sql, "asc", 1, 10).map((e) => e.seq)).toEqual([2]);
    });
  });

  it("refuse UPDATE and DELETE of the log", async () => {
    await inRepo((repo) => {
      changeSettings(repo.sql, { visibility: "public" }, alice);
      expect(() => repo.sql.exec("UPDATE settings_events SET visibility = 'private'")).toThrow(/append-only/);
      expect(() => repo.sql.exec("DELETE FROM settings_events")).toThrow(/append-only/);
    });
  });
});
