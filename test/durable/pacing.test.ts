// Giving way (durable/pacing.ts) where it matters: indexing gives way even when no read of its body
// waits for the network, a long push to a repository does not hold up its reads, a read that runs in the middle of a push sees the repository as before it, and two pushes
// to one ref at once interleave and still end with exactly one winner and a log that verifies.
import { describe, expect, it } from "vitest";
import { INDEX_ENTRIES, Pacer } from "../../durable/pacing";
import { ingestPack } from "../../durable/store/ingest";
import { inRepo } from "../../bench/harness/in-repo";
import { commit, object, pack, tree, type HandObject } from "../support/hand-pack";
import { receivePackRequest, stored, ZERO } from "../support/workerd/push";
import { send, tokenEnv } from "../support/workerd/worker";
import { packLimits } from "../support/pack-limits";

const open = tokenEnv({ AUTH_MODE: "open" });
const text = async (res: Response) => new TextDecoder().decode(await res.arrayBuffer());

/** A commit of one tree holding `n` small blobs, as a pack: many objects, so indexing takes a while. */
function manyObjects(n: number, salt: string): { objects: HandObject[]; tip: string } {
  const blobs = Array.from({ length: n }, (_, i) => object("blob", `${salt} ${i}\n`));
  const names = blobs.map((b, i) => [`f${String(i).padStart(6, "0")}`, b] as const);
  const root = tree(...names.map(([name, b]) => ["100644", name, b.oid] as [string, string, string]));
  const top = commit(root.oid);
  return { objects: [...blobs, root, top], tip: top.oid };
}

describe("Pacer", () => {
  it("gives way once every so many units, and not before", async () => {
    const pacer = new Pacer(3);
    let ran = false;
    setTimeout(() => (ran = true), 0);
    await pacer.step();
    await pacer.step();
    expect(ran).toBe(false);
    await pacer.step();
    expect(ran).toBe(true);
  });
});

describe("indexing a push", () => {
  it("gives way to other work many times, even when its bytes are all in memory already", { timeout: 60_000 }, async () => {
    const data = pack(manyObjects(20_000, "paced").objects);
    // Every read resolves at once: the only turns the indexer gives are its own.
    let at = 0;
    const source = {
      read: async () => (at < data.length ? data.subarray(at, (at += 65536)) : null),
      discardRest: async () => undefined,
    };
    await inRepo(async (repo) => {
      let turns = 0;
      const counter = setInterval(() => turns++, 0);
      try {
        await ingestPack(repo.packs, repo.store, source, packLimits(1 << 30));
      } finally {
        clearInterval(counter);
      }
      expect(turns).toBeGreaterThanOrEqual(20_000 / INDEX_ENTRIES);
    });
  });
});

describe("reads during a push", () => {
  it("answer before a long push ends, and see the repository as it was before it", { timeout: 120_000 }, async () => {
    const name = `o/busy-${crypto.randomUUID().slice(0, 8)}`;
    const small = manyObjects(2, "first");
    expect(await text(await send(push(name, "refs/heads/main", small), open))).toContain("ok refs/heads/main");
    const big = manyObjects(30_000, "second");
    const order: string[] = [];
    const pushing = send(push(name, "refs/heads/big", big), open).then(async (res) => {
      order.push("push");
      return text(res);
    });
    // Let the push get under way, then read.
    await new Promise((r) => setTimeout(r, 50));
    const refs = await send(new Request(`http://x/api/repos/${name}/refs`), open).then(async (res) => {
      order.push("read");
      return res.json() as Promise<{ refs: Record<string, string> }>;
    });
    expect(await pushing).toContain("ok refs/heads/big");
    expect(order).toEqual(["read", "push"]);
    expect(Object.keys(refs.refs)).toEqual(["refs/heads/main"]);
    expect((await stored(name)).refs["refs/heads/big"]).toBe(big.tip);
  });

  it("two pushes to one ref at once leave one winner, and a log that verifies", { timeout: 120_000 }, async () => {
    const name = `o/race-${crypto.randomUUID().slice(0, 8)}`;
    const a = manyObjects(3000, "a");
    const b = manyObjects(3000, "b");
    const [first, second] = await Promise.all([a, b].map((p) => send(push(name, "refs/heads/main", p), open).then(text)));
    const oks = [first, second].filter((t) => t.includes("ok refs/heads/main"));
    expect(oks).toHaveLength(1);
    const state = await stored(name);
    expect([a.tip, b.tip]).toContain(state.refs["refs/heads/main"]);
    expect(state.events).toBe(1);
    const verify = (await (await send(new Request(`http://x/api/repos/${name}/ref-log/verify`), open)).json()) as { ok: boolean };
    expect(verify.ok).toBe(true);
  });
});

function push(repo: string, ref: string, { objects, tip }: { objects: HandObject[]; tip: string }): Request {
  return receivePackRequest(repo, [`${ZERO} ${tip} ${ref}`], pack(objects));
}
