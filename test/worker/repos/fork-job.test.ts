// The fork job (worker/repos/fork-job.ts) with the real local Durable Objects, R2 and Queue: a source
// with a hot pack and an archived one is copied verbatim, the fork reads every object and has the
// same refs and HEAD, git is refused while it forks, and a job cut short and run again is all or
// nothing; the Git LFS objects are copied into the fork's own R2 prefix.
import { describe, expect, it } from "vitest";
import { HEAD } from "../../fixtures/packs";
import { inRepo, testEnv } from "../../../bench/harness/in-repo";
import { ANONYMOUS_ADMIN } from "../../../durable/access/principal";
import { archiveRepository } from "../../../worker/archive/archive-repo";
import { forkRepository } from "../../../worker/repos/fork-job";
import { lfsKey, lfsSizes, recordLfsObject } from "../../../durable/lfs/objects";
import { emptyPack, receivePackRequest, stored, ZERO } from "../../support/workerd/push";
import { send } from "../../support/workerd/worker";

const by = { ...ANONYMOUS_ADMIN, actor: "forker" };
const spec = { visibility: "private" as const, description: "", defaultBranch: "main" };

async function objectsOf(name: string): Promise<{ oid: string; type: number; size: number; data: string }[]> {
  return inRepo(async (repo) => {
    const rows = repo.sql.exec<{ oid: string }>("SELECT DISTINCT oid FROM objects ORDER BY oid").toArray();
    const out = [];
    for (const { oid } of rows) {
      const o = (await repo.store.read(oid))!;
      out.push({ oid, type: o.type, size: o.data.length, data: btoa(String.fromCharCode(...o.data.subarray(0, 64))) });
    }
    return out;
  }, name);
}

describe("fork job", () => {
  it("copies hot and archived packs verbatim, refs and HEAD, and refuses git until it is done", async () => {
    const source = `fork/src-${crypto.randomUUID().slice(0, 8)}`;
    const target = `${source}-copy`;
    const push = await send(receivePackRequest(source, [`${ZERO} ${HEAD} refs/heads/trunk`, `${ZERO} ${HEAD} refs/tags/v1`]), testEnv);
    expect(new TextDecoder().decode(await push.arrayBuffer())).toContain("ok refs/heads/trunk");
    await archiveRepository({ ...testEnv, STORAGE_LIMIT_BYTES: "1" } as typeof testEnv, source);
    const second = await send(receivePackRequest(source, [`${ZERO} ${HEAD} refs/heads/other`], await emptyPack()), testEnv);
    expect(new TextDecoder().decode(await second.arrayBuffer())).toContain("ok refs/heads/other");
    expect(await inRepo((repo) => repo.packs.all().map((p) => p.tier), source)).toEqual(["archived", "hot"]);
    const dst = testEnv.REPO.get(testEnv.REPO.idFromName(target));
    await testEnv.REGISTRY.get(testEnv.REGISTRY.idFromName("registry")).create(target, by);
    expect(await dst.setUpFork(target, spec, by, source)).toBe(true);
    const refused = await send(new Request(`http://x/${target}.git/info/refs?service=git-upload-pack`), testEnv);
    expect([refused.status, await refused.text()]).toEqual([409, expect.stringContaining(`${target} is being forked from ${source}; try again once GET /api/repos/${target} says "state": "ready"`)]);

    // A first attempt cut short after copying a pack's bytes: the next attempt starts over.
    await dst.forkReset();
    const id = await dst.forkPackBegin();
    await dst.forkPackWrite(id, new Uint8Array([1, 2, 3]));
    const copied = await forkRepository(testEnv, { source, target, by });
    expect(copied.objects).toBe((await stored(source)).objects);

    expect((await stored(target)).refs).toEqual((await stored(source)).refs);
    expect(await objectsOf(target)).toEqual(await objectsOf(source));
    const repoJson = await (await send(new Request(`http://x/api/repos/${target}`), testEnv)).json();
    expect(repoJson).toMatchObject({ state: "ready", defaultBranch: "trunk" });
    const log = await (await send(new Request(`http://x/api/repos/${target}/ref-log?order=asc`), testEnv)).json<{ events: { kind: string; actor: string }[] }>();
    expect(log.events.map((e) => [e.kind, e.actor])).toEqual([["create", "forker"], ["create", "forker"], ["create", "forker"]]);
    const advertised = await send(new Request(`http://x/${target}.git/info/refs?service=git-upload-pack`), testEnv);
    expect(await advertised.text()).toContain(HEAD);
    // Every pack of the fork is its own, in SQLite: archived packs of the source come back hot.
    const packs = await inRepo((repo) => repo.packs.all().map((p) => [p.state, p.tier]), target);
    expect(packs).toEqual([["live", "hot"], ["live", "hot"]]);
  });

  it("copies the Git LFS objects into the fork's own R2 prefix, more than a page of them, and records each", async () => {
    const source = `fork/lfs-${crypto.randomUUID().slice(0, 8)}`;
    const target = `${source}-copy`;
    const push = await send(receivePackRequest(source, [`${ZERO} ${HEAD} refs/heads/main`]), testEnv);
    expect(new TextDecoder().decode(await push.arrayBuffer())).toContain("ok refs/heads/main");
    const objects: { oid: string; bytes: string }[] = [];
    for (let i = 0; i < 60; i++) {
      const bytes = `large file ${i}\n`.repeat(i + 1);
      const oid = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(bytes)))].map((b) => b.toString(16).padStart(2, "0")).join("");
      await testEnv.LFS.put(lfsKey(source, oid), bytes);
      objects.push({ oid, bytes });
    }
    await inRepo((repo) => objects.forEach((o) => recordLfsObject(repo.sql, o.oid, o.bytes.length, "uploader")), source);
    const dst = testEnv.REPO.get(testEnv.REPO.idFromName(target));
    await testEnv.REGISTRY.get(testEnv.REGISTRY.idFromName("registry")).create(target, by);
    expect(await dst.setUpFork(target, spec, by, source)).toBe(true);
    await forkRepository(testEnv, { source, target, by });

    for (const o of objects) expect(await (await testEnv.LFS.get(lfsKey(target, o.oid)))!.text()).toBe(o.bytes);
    const sizes = await inRepo((repo) => lfsSizes(repo.sql, objects.map((o) => o.oid)), target);
    expect(sizes).toEqual(new Map(objects.map((o) => [o.oid, o.bytes.length])));
    // Deleting the source's copies leaves the fork's.
    await testEnv.LFS.delete(objects.map((o) => lfsKey(source, o.oid)));
    expect(await testEnv.LFS.head(lfsKey(target, objects[0]!.oid))).not.toBeNull();
  });
});
