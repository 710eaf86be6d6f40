// Protection rules (durable/access/protection.ts) where they bite: a push that forces or deletes a
// protected ref gets its `ng` reason and changes nothing, an unprotected one goes through, and a
// restore obeys the same rules unless the admin says "force", which the log then shows.
import { describe, expect, it } from "vitest";
import { protectionRefusal } from "../../../durable/access/protection";
import { parseCommit } from "../../../durable/pack/parse-object";
import { ANONYMOUS_ADMIN } from "../../../durable/access/principal";
import { changeSettings } from "../../../durable/access/repo-settings";
import { inRepo } from "../../../bench/harness/in-repo";
import { HEAD } from "../../fixtures/packs";
import { api, postJson, seed, storeFixturePack } from "../../support/workerd/api";
import { emptyPack, receivePackRequest, stored, ZERO } from "../../support/workerd/push";
import { ADMIN, bearer, send } from "../../support/workerd/worker";

const RULES = [{ pattern: "refs/heads/main", forcePush: false, deletion: false }, { pattern: "refs/heads/release/*", forcePush: true, deletion: false }];
const basic = { Authorization: `Basic ${btoa(`x:${ADMIN}`)}` };

describe("protectionRefusal", () => {
  it("refuses what a matching rule forbids, and nothing else", () => {
    expect(protectionRefusal(RULES, "refs/heads/main", "force")).toBe("protected: force-push is not allowed");
    expect(protectionRefusal(RULES, "refs/heads/main", "delete")).toBe("protected: deletion is not allowed");
    expect(protectionRefusal(RULES, "refs/heads/release/1.0", "force")).toBeNull();
    expect(protectionRefusal(RULES, "refs/heads/release/1.0", "delete")).toBe("protected: deletion is not allowed");
    expect(protectionRefusal(RULES, "refs/heads/topic", "delete")).toBeNull();
  });
});

describe("protected refs on push", () => {
  it("answers ng for a forced update and a deletion of a protected branch, and changes nothing", async () => {
    const name = `o/prot-${crypto.randomUUID().slice(0, 8)}`;
    expect((await send(receivePackRequest(name, [`${ZERO} ${HEAD} refs/heads/main`, `${ZERO} ${HEAD} refs/heads/topic`], undefined, "report-status", basic))).status).toBe(200);
    const patched = await send(new Request(`http://x/api/repos/${name}`, bearer(ADMIN, { method: "PATCH", body: JSON.stringify({ protection: [{ pattern: "refs/heads/main" }] }) })));
    expect(patched.status).toBe(200);
    const parent = await inRepo(async (repo) => parseCommit((await repo.store.read(HEAD))!.data).parents[0]!, name);
    const before = await stored(name);

    const forced = await send(receivePackRequest(name, [`${HEAD} ${parent} refs/heads/main`], await emptyPack(), "report-status", basic));
    expect(await forced.text()).toContain("ng refs/heads/main protected: force-push is not allowed");
    const deleted = await send(receivePackRequest(name, [`${HEAD} ${ZERO} refs/heads/main`], new Uint8Array(0), "report-status", basic));
    expect(await deleted.text()).toContain("ng refs/heads/main protected: deletion is not allowed");
    const after = await stored(name);
    expect(after.refs).toEqual(before.refs);
    expect(after.events).toBe(before.events);

    const topic = await send(receivePackRequest(name, [`${HEAD} ${parent} refs/heads/topic`], await emptyPack(), "report-status", basic));
    expect(await topic.text()).toContain("ok refs/heads/topic");
  });
});

describe("protected refs on restore", () => {
  it("refuses a restore the rules forbid unless forced, and records the override", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/main", to: commits[3]! }, { ref: "refs/heads/main", to: commits[0]! });
      repo.transaction(() => changeSettings(repo.sql, { protection: RULES }, ANONYMOUS_ADMIN));
      const refused = await api(repo, "refs/restore", postJson({ ref: "refs/heads/main", seq: 1 }));
      expect(refused.status).toBe(409);
      expect(refused.body.error).toBe("protected: force-push is not allowed");
      expect(repo.refs.get("refs/heads/main")).toBe(commits[0]);

      const forced = await api(repo, "refs/restore", postJson({ ref: "refs/heads/main", seq: 1, force: true }, "ops"));
      expect(forced.status).toBe(201);
      expect(repo.refs.get("refs/heads/main")).toBe(commits[3]);
      const push = await api(repo, `pushes/${forced.body.event.pushId}`);
      expect(push.body).toMatchObject({ actor: "ops", options: ["force"] });
    });
  });

  it("lets a restore that moves a protected branch forward through", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/main", to: commits[0]! }, { ref: "refs/heads/main", to: commits[3]!, kind: "force" });
      repo.transaction(() => changeSettings(repo.sql, { protection: RULES }, ANONYMOUS_ADMIN));
      expect((await api(repo, "refs/restore", postJson({ ref: "refs/heads/main", seq: 1 }))).status).toBe(201);
    });
  });
});
