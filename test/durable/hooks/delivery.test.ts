// Webhook deliveries inside the repository (durable/hooks/): the outbox read from the ref log and
// the settings log in the order things happened, the push payload's commits, the signature on the
// exact body, and the hook's place surviving a sender that stops between any two steps.
import { describe, expect, it } from "vitest";
import { inRepo } from "../../../bench/harness/in-repo";
import { ANONYMOUS_ADMIN } from "../../../durable/access/principal";
import { changeSettings } from "../../../durable/access/repo-settings";
import { findDelivery, type OutboxItem } from "../../../durable/hooks/deliveries";
import { createHook, findHook, type HookEvent } from "../../../durable/hooks/hooks";
import { deliveryDone, nextDelivery } from "../../../durable/hooks/sender";
import { signature } from "../../../durable/hooks/signature";
import type { Repository } from "../../../durable/repository";
import { seed, storeFixturePack, Z } from "../../support/workerd/api";

const BASE_MS = 1000;
const admin = { ...ANONYMOUS_ADMIN, actor: "alice" };
const ok = { ok: true, responseCode: 204, durationMs: 5, error: null };
const failed = { ok: false, responseCode: 500, durationMs: 5, error: "the receiver answered HTTP 500" };

function hookFor(repo: Repository, events: HookEvent[]) {
  return createHook(repo.sql, { url: "https://example.com/hook", secret: "s3cret", events, active: true }, "alice", { ref: 0, settings: 0 }, 0);
}

/** Delivers everything, each attempt succeeding, and returns what was sent: event, log and seqs. */
async function drain(repo: Repository, hookId: string, now: number): Promise<string[]> {
  const sent: string[] = [];
  for (;;) {
    const next = await nextDelivery(repo, hookId, BASE_MS, now);
    if (!("delivery" in next)) return sent;
    const { item } = next.delivery;
    sent.push(`${item.event} ${item.log} ${item.firstSeq}-${item.lastSeq}`);
    deliveryDone(repo, item, ok, false, now);
  }
}

describe("webhook deliveries", () => {
  it("sends each push once with all its ref updates, merges the settings log by time, and passes over what the hook does not want", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/main", to: commits[1]!, pushId: "p1", at: 1000 }, { ref: "refs/tags/v1", to: commits[1]!, pushId: "p1", at: 1000 });
      changeSettings(repo.sql, { visibility: "public" }, admin, 2000);
      seed(repo, { ref: "refs/heads/main", to: commits[2]!, kind: "restore", at: 3000 });
      changeSettings(repo.sql, { protection: [{ pattern: "refs/heads/main", forcePush: false, deletion: false }] }, admin, 4000);
      seed(repo, { ref: "refs/heads/main", to: commits[0]!, at: 5000 });
      changeSettings(repo.sql, { deleted: true }, admin, 6000);
      const everything = hookFor(repo, ["push", "restore", "repository"]);
      expect(await drain(repo, everything.id, 10_000)).toEqual(["push ref 1-2", "repository settings 1-1", "restore ref 3-3", "push ref 4-4", "repository settings 3-3"]);
      const pushesOnly = hookFor(repo, ["push"]);
      expect(await drain(repo, pushesOnly.id, 10_000)).toEqual(["push ref 1-2", "push ref 4-4"]);
      // Its place moved past everything, wanted or not.
      expect(findHook(repo.sql, pushesOnly.id)).toMatchObject({ refCursor: 4, settingsCursor: 3, leaseUntil: null });
    });
  });

  it("builds a push payload with the commits it brought, oldest first, signed over the exact body", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/main", to: commits[3]!, at: 1000 }, { ref: "refs/heads/main", to: commits[0]!, at: 2000 });
      const hook = hookFor(repo, ["push"]);
      const bodies: any[] = [];
      for (;;) {
        const next = await nextDelivery(repo, hook.id, BASE_MS, 10_000);
        if (!("delivery" in next)) break;
        const { body, headers, item } = next.delivery;
        expect(headers["X-Hub-Signature-256"]).toBe(await signature("s3cret", body));
        expect(headers).toMatchObject({ "X-Git-On-Workers-Event": "push", "X-Git-On-Workers-Delivery": item.id, "X-Git-On-Workers-Hook-Id": hook.id, "Content-Type": "application/json" });
        bodies.push(JSON.parse(body));
        deliveryDone(repo, item, ok, false, 10_000);
      }
      // The first push created main: its whole history (4 commits here). The second brought three.
      expect(bodies[0]).toMatchObject({ ref: "refs/heads/main", before: Z, after: commits[3], created: true, deleted: false, forced: false });
      expect(bodies[0].commits.map((c: { id: string }) => c.id)).toEqual(commits.slice(3).reverse());
      expect(bodies[1]).toMatchObject({ before: commits[3], after: commits[0], created: false, pusher: { name: "alice" }, repository: { full_name: "o/r", private: true, default_branch: "main" } });
      expect(bodies[1].commits.map((c: { id: string }) => c.id)).toEqual([commits[2], commits[1], commits[0]]);
      expect(bodies[1].head_commit.id).toBe(commits[0]);
      expect(bodies[1].commits[0]).toMatchObject({ message: expect.any(String), timestamp: expect.stringMatching(/^\d{4}-/), author: { name: expect.any(String), email: expect.any(String) } });
      expect(bodies[1].refs).toEqual([{ ref: "refs/heads/main", before: commits[3], after: commits[0], created: false, deleted: false, forced: false }]);
    });
  });

  it("keeps the hook's place through a sender that stops between any two steps: the same delivery id comes again", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/main", to: commits[1]!, at: 1000 }, { ref: "refs/heads/main", to: commits[0]!, at: 1000 });
      const hook = hookFor(repo, ["push"]);
      const take = async (now: number) => nextDelivery(repo, hook.id, BASE_MS, now);
      const item = (next: Awaited<ReturnType<typeof take>>): OutboxItem => {
        if (!("delivery" in next)) throw new Error(`no delivery: ${JSON.stringify(next)}`);
        return next.delivery.item;
      };
      // Taken, then the sender stops (before sending, or after the receiver got it but before it was recorded).
      const first = item(await take(10_000));
      // Another sender waits for the lease...
      expect(await take(20_000)).toEqual({ waitMs: 50_000 });
      // ...which runs out: the same event, with the same delivery id.
      const again = item(await take(71_000));
      expect(again.id).toBe(first.id);
      // It fails: recorded, the lease ends, and a retry before the backoff waits.
      expect(deliveryDone(repo, again, failed, false, 72_000)).toBe(1);
      expect(await take(72_500)).toEqual({ waitMs: 500 });
      const retried = item(await take(73_000));
      expect(retried.id).toBe(first.id);
      expect(deliveryDone(repo, retried, ok, false, 73_000)).toBe(2);
      expect(findDelivery(repo.sql, hook.id, first.id)).toMatchObject({ status: "delivered", attempts: 2, responseCode: 204 });
      // A redelivery of it changes neither its status nor the hook's place.
      deliveryDone(repo, retried, failed, true, 74_000);
      expect(findDelivery(repo.sql, hook.id, first.id)).toMatchObject({ status: "delivered", attempts: 3, responseCode: 500 });
      const second = item(await take(75_000));
      expect(second.firstSeq).toBe(2);
      deliveryDone(repo, second, ok, false, 75_000);
      expect(await take(76_000)).toEqual({ upToDate: true });
    });
  });
});
