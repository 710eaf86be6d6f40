// Archival to R2 with the real local R2 and Queue bindings: the trigger after a push, the cron scan,
// the consumer's copy-verify-commit steps under injected crashes, concurrency, and transparent reads;
// the log lines of the consumer's job and of the scan.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { encodePkt, FLUSH, concatBytes } from "../../../durable/protocol/pktline";
import { setLogSink } from "../../../durable/observe/log";
import type { ArchiveMessage } from "../../../durable/repo-object";
import { archiveRepository } from "../../../worker/archive/archive-repo";
import { consumeArchiveBatch } from "../../../worker/archive/consumer";
import { scanForArchival, scheduledScan } from "../../../worker/archive/scan";
import type { FaultHook } from "../../../worker/archive/upload";
import { HEAD } from "../../fixtures/packs";
import { addPack, blobPack, expectAllReadable, fixturePack, packStates, r2Keys, seedRepo } from "../../support/workerd/archive";
import { inRepo, testEnv } from "../../../bench/harness/in-repo";

const ZERO = "0".repeat(40);
const worker = (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default;

async function storage(name: string) {
  const res = await worker.fetch(new Request(`http://x/api/repos/${name}/storage`));
  return (await res.json()) as { hotBytes: number; archivedBytes: number; packs: { tier: string }[] };
}

describe("archival", () => {
  it("queues a job when a push crosses the high watermark, and the consumer moves the packs", { timeout: 30_000 }, async () => {
    const body = concatBytes([encodePkt(`${ZERO} ${HEAD} refs/heads/main\0report-status side-band-64k\n`), FLUSH, fixturePack()]);
    const res = await worker.fetch(new Request("http://x/arch/pushed.git/git-receive-pack", { method: "POST", body }));
    expect(new TextDecoder().decode(await res.arrayBuffer())).toContain("unpack ok");
    let figures = await storage("arch/pushed");
    for (let i = 0; i < 100 && figures.archivedBytes === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      figures = await storage("arch/pushed");
    }
    expect(figures.archivedBytes).toBe(fixturePack().length);
    expect(figures.packs.map((p) => p.tier)).toEqual(["archived"]);
    expect(await r2Keys("arch/pushed")).toHaveLength(1);
    await expectAllReadable("arch/pushed");
    const health = await (await worker.fetch(new Request("http://x/api/repos/arch/pushed/health"))).json<{ lastRuns: { archive: { summary: string } } }>();
    expect(health.lastRuns.archive.summary).toBe(`archived 1 pack, ${fixturePack().length} bytes`);
  });

  it("the scheduled scan queues the repositories above the watermark or holding cold packs", async () => {
    const registry = testEnv.REGISTRY.get(testEnv.REGISTRY.idFromName("registry"));
    const now = Date.now();
    const summary = { visibility: "private", description: "", defaultBranch: "main", lastPushAt: null, hooks: 0, mirrorUrl: null } as const;
    const report = async (name: string, figures: { hotBytes: number; archivedBytes: number; coldestAccessAt: number | null }) => {
      await registry.create(name, { actor: "test", actorId: null });
      await registry.report(name, { ...figures, ...summary });
    };
    await report("scan/big", { hotBytes: 10_000_000, archivedBytes: 0, coldestAccessAt: now });
    await report("scan/small", { hotBytes: 1000, archivedBytes: 0, coldestAccessAt: now });
    await report("scan/cold", { hotBytes: 1000, archivedBytes: 0, coldestAccessAt: now - 31 * 86_400_000 });
    await report("scan/archived", { hotBytes: 1000, archivedBytes: 5000, coldestAccessAt: null });
    expect((await scanForArchival(testEnv, now)).filter((n) => n.startsWith("scan/"))).toEqual(["scan/big", "scan/cold"]);
    // As the cron trigger runs it: one line, the repositories queued counted.
    const lines: Record<string, unknown>[] = [];
    setLogSink((_level, line) => lines.push(JSON.parse(line)));
    await scheduledScan(testEnv);
    setLogSink(null);
    const scans = lines.filter((l) => l.op === "archive-scan");
    expect(scans).toEqual([expect.objectContaining({ outcome: "ok", actor: "cron" })]);
    expect(scans[0]!.objectsOut as number).toBeGreaterThanOrEqual(2);
  });

  it("archives a large pack with a multipart upload, as one job of the consumer with its log line, and reads it back through R2", async () => {
    await seedRepo("arch/big", blobPack(3, 4 * 1024 * 1024));
    // One message as the queue delivers it, to the consumer this test imports (whose logger it reads).
    const lines: Record<string, unknown>[] = [];
    let acked = false;
    const message = { id: "m1", timestamp: new Date(), body: { repo: "arch/big" }, attempts: 1, ack: () => void (acked = true), retry: () => undefined };
    setLogSink((_level, line) => lines.push(JSON.parse(line)));
    await consumeArchiveBatch({ queue: "git-archive", messages: [message], ackAll: () => undefined, retryAll: () => undefined } as unknown as MessageBatch<ArchiveMessage>, testEnv);
    setLogSink(null);
    expect(acked).toBe(true);
    // The queue may deliver other tests' jobs meanwhile: only this repository's lines count.
    const jobs = lines.filter((l) => l.event === "operation" && l.op === "archive" && l.repo === "arch/big");
    expect(jobs).toEqual([expect.objectContaining({ outcome: "ok", actor: "archive" })]);
    // A multipart upload: its creation, each part and its completion are class A operations.
    expect(jobs[0]!.r2ClassA as number).toBeGreaterThanOrEqual(3);
    const { packs } = await packStates("arch/big");
    expect(packs).toEqual([{ id: packs[0].id, tier: "archived", state: "live", chunks: 0 }]);
    await expectAllReadable("arch/big");
  });

  const steps: Parameters<FaultHook>[0][] = ["mid-upload", "after-upload", "after-commit"];
  for (const step of steps) {
    it(`survives a crash ${step} and archives each pack once on redelivery`, async () => {
      const name = `fault/${step}`;
      await seedRepo(name, blobPack(2, 5 * 1024 * 1024), fixturePack());
      const crash: FaultHook = (at) => {
        if (at === step) throw new Error(`injected crash ${at}`);
      };
      await expect(archiveRepository(testEnv, name, crash)).rejects.toThrow(/injected crash/);
      await expectAllReadable(name);
      await archiveRepository(testEnv, name);
      const { packs, archivedBytes } = await packStates(name);
      expect(packs.map((p) => [p.tier, p.state, p.chunks])).toEqual([["archived", "live", 0], ["archived", "live", 0]]);
      const sizes = await inRepo((repo) => repo.sql.exec<{ n: number }>("SELECT sum(bytes) AS n FROM packs").one().n, name);
      expect(archivedBytes).toBe(sizes);
      expect(await r2Keys(name)).toHaveLength(2);
      await expectAllReadable(name);
    });
  }

  it("two jobs at once archive each pack once", async () => {
    await seedRepo("arch/twice", fixturePack(), blobPack(1, 200_000));
    const [a, b] = await Promise.all([archiveRepository(testEnv, "arch/twice"), archiveRepository(testEnv, "arch/twice")]);
    expect([...a.archived, ...b.archived].sort()).toEqual([1, 2]);
    const { archivedBytes } = await packStates("arch/twice");
    const sizes = await inRepo((repo) => repo.sql.exec<{ n: number }>("SELECT sum(bytes) AS n FROM packs").one().n, "arch/twice");
    expect(archivedBytes).toBe(sizes);
  });

  it("a push that lands while a pack is being archived still works", async () => {
    await seedRepo("arch/busy", blobPack(1, 200_000));
    let push: Promise<number> | undefined;
    await archiveRepository(testEnv, "arch/busy", (at) => {
      if (at === "after-upload") push ??= inRepo((repo) => addPack(repo, blobPack(1, 1000)), "arch/busy");
    });
    await push;
    const { packs } = await packStates("arch/busy");
    expect(packs.map((p) => p.tier)).toEqual(["archived", "hot"]);
    await expectAllReadable("arch/busy");
  });
});
