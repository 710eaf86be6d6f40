// git-receive-pack (durable/service/receive-pack.ts), called with a repository: a real command list and
// the fixture pack create refs and record the push; side-band and push options; deletes, forced and
// refused updates, stale and atomic pushes; and a malformed command list answered 400 with JSON.
import { ANONYMOUS_ADMIN } from "../../../durable/access/principal";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encodePackHeader } from "../../../durable/pack/header";
import { concatBytes, encodePkt, FLUSH, parsePkts } from "../../../durable/protocol/pktline";
import { decodeReportStatus } from "../../../durable/protocol/report-status";
import { demuxSideband } from "../../../durable/protocol/sideband";
import { findPush } from "../../../durable/refs/pushes";
import { Repository } from "../../../durable/repository";
import { receivePack } from "../../../durable/service/receive-pack";
import { FULL, HEAD, TAG } from "../../fixtures/packs";
import { oid, seed, storeFixturePack, Z } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";

const fixturePack = () => Uint8Array.from(atob(FULL), (c) => c.charCodeAt(0));
/** The pack git sends when the server has every object already. */
const header = encodePackHeader(0);
const EMPTY_PACK = concatBytes([header, new Uint8Array(createHash("sha1").update(header).digest())]);

/** The request body: commands (capabilities after the first), flush, then `rest` (options, pack). */
function body(commands: string[], caps: string, ...rest: Uint8Array[]): ReadableStream<Uint8Array> {
  const lines = commands.map((c, i) => encodePkt(i === 0 ? `${c}\0${caps}\n` : `${c}\n`));
  return new Response(concatBytes([...lines, FLUSH, ...rest])).body!;
}

async function push(repo: Repository, stream: ReadableStream<Uint8Array>) {
  const res = await receivePack(repo, stream, { principal: { ...ANONYMOUS_ADMIN, actor: "alice" }, repoName: "o/r" });
  return { res, report: decodeReportStatus(new Uint8Array(await res.arrayBuffer())) };
}

const count = (repo: Repository, table: string) => repo.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${table}`).one().n;
const events = (repo: Repository) => repo.sql.exec<{ push_id: string; ref: string; kind: string }>("SELECT push_id, ref, kind FROM ref_events ORDER BY seq").toArray();

describe("receivePack", () => {
  it("creates refs from a command list and a real pack, and records the push", async () => {
    await inRepo(async (repo) => {
      const { res, report } = await push(repo, body([`${Z} ${HEAD} refs/heads/main`, `${Z} ${TAG} refs/tags/v1`], "report-status", fixturePack()));
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toBe("application/x-git-receive-pack-result");
      expect(report).toEqual({ unpack: "ok", results: [{ ref: "refs/heads/main", ok: true }, { ref: "refs/tags/v1", ok: true }] });
      expect(Object.fromEntries(repo.refs.all())).toEqual({ "refs/heads/main": HEAD, "refs/tags/v1": TAG });
      expect([repo.exists(), repo.name(), repo.refs.head()]).toEqual([true, "o/r", "refs/heads/main"]);

      const [main, tag] = events(repo);
      expect([main!.kind, tag!.kind, tag!.push_id]).toEqual(["create", "create", main!.push_id]);
      const [pack] = repo.packs.all();
      expect(pack!.state).toBe("live");
      expect(findPush(repo.sql, main!.push_id)).toMatchObject({ actor: "alice", packId: pack!.id, options: [] });
      expect((await repo.store.read(HEAD))?.type).toBe(1);
    });
  });

  it("reports through side-band-64k and keeps the push options", async () => {
    await inRepo(async (repo) => {
      const options = concatBytes([encodePkt("ci.skip\n"), encodePkt("reviewer=bob\n"), FLUSH]);
      const res = await receivePack(repo, body([`${Z} ${HEAD} refs/heads/main`], "report-status side-band-64k push-options", options, fixturePack()), { principal: { ...ANONYMOUS_ADMIN, actor: "bob" }, repoName: "o/r" });
      const bands = demuxSideband(parsePkts(new Uint8Array(await res.arrayBuffer())));
      expect(decodeReportStatus(bands[1])).toEqual({ unpack: "ok", results: [{ ref: "refs/heads/main", ok: true }] });
      expect(findPush(repo.sql, events(repo)[0]!.push_id)).toMatchObject({ actor: "bob", options: ["ci.skip", "reviewer=bob"] });
    });
  });

  it("deletes a ref with a command list alone, storing no pack", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/main", to: HEAD }, { ref: "refs/heads/dev", to: commits[1]! });
      const { report } = await push(repo, body([`${commits[1]} ${Z} refs/heads/dev`], "report-status delete-refs"));
      expect(report).toEqual({ unpack: "ok", results: [{ ref: "refs/heads/dev", ok: true }] });
      expect(Object.fromEntries(repo.refs.all())).toEqual({ "refs/heads/main": HEAD });
      expect(events(repo).at(-1)).toMatchObject({ ref: "refs/heads/dev", kind: "delete" });
      expect(count(repo, "packs")).toBe(1);
    });
  });

  it("accepts a rewind as a forced update, and refuses it where non-fast-forwards are denied", async () => {
    for (const denied of [[], ["refs/heads/*"]]) {
      await inRepo(async (base, state) => {
        const repo = new Repository(state, { ...base.settings, denyNonFastForward: denied });
        const { commits } = await storeFixturePack(repo);
        seed(repo, { ref: "refs/heads/main", to: HEAD });
        const { report } = await push(repo, body([`${HEAD} ${commits[2]} refs/heads/main`], "report-status", EMPTY_PACK));
        if (denied.length === 0) {
          expect(report.results).toEqual([{ ref: "refs/heads/main", ok: true }]);
          expect(repo.refs.get("refs/heads/main")).toBe(commits[2]);
          expect(events(repo).at(-1)!.kind).toBe("force");
        } else {
          expect(report.results).toEqual([{ ref: "refs/heads/main", ok: false, reason: "non-fast-forward" }]);
          expect(repo.refs.get("refs/heads/main")).toBe(HEAD);
          expect(count(repo, "packs")).toBe(1);
        }
      });
    }
  });

  it("refuses a stale old id and a missing object with ng, and keeps no pack", async () => {
    await inRepo(async (repo) => {
      const { report } = await push(repo, body([`${oid(1)} ${HEAD} refs/heads/main`, `${Z} ${oid(2)} refs/heads/dev`], "report-status", fixturePack()));
      expect(report).toEqual({
        unpack: "ok",
        results: [
          { ref: "refs/heads/main", ok: false, reason: "stale info: the ref does not exist" },
          { ref: "refs/heads/dev", ok: false, reason: "missing necessary objects" },
        ],
      });
      expect([count(repo, "refs"), count(repo, "packs"), count(repo, "objects"), repo.exists()]).toEqual([0, 0, 0, false]);
    });
  });

  it("fails every command of an atomic push when one fails", async () => {
    await inRepo(async (repo) => {
      const { report } = await push(repo, body([`${Z} ${HEAD} refs/heads/main`, `${Z} ${HEAD} refs/heads/a..b`], "report-status atomic", fixturePack()));
      expect(report.results[0]).toEqual({ ref: "refs/heads/main", ok: false, reason: "atomic transaction failed" });
      expect(report.results[1]!.ok).toBe(false);
      expect([count(repo, "refs"), count(repo, "packs")]).toEqual([0, 0]);
    });
  });

  it("reports a corrupt pack as the unpack status, every ref as an unpacker error", async () => {
    await inRepo(async (repo) => {
      const corrupt = fixturePack();
      corrupt[corrupt.length - 1]! ^= 1;
      const { report } = await push(repo, body([`${Z} ${HEAD} refs/heads/main`], "report-status", corrupt));
      expect(report).toEqual({ unpack: "pack checksum mismatch", results: [{ ref: "refs/heads/main", ok: false, reason: "unpacker error" }] });
      expect([count(repo, "packs"), count(repo, "chunks")]).toEqual([0, 0]);
    });
  });

  it("answers an empty command list with an empty result", async () => {
    await inRepo(async (repo) => {
      const res = await receivePack(repo, new Response(FLUSH).body!, { principal: { ...ANONYMOUS_ADMIN, actor: "alice" }, repoName: "o/r" });
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBe(0);
      expect(repo.exists()).toBe(false);
    });
  });

  const malformed: [string, Uint8Array, RegExp][] = [
    ["a body that is not pkt-lines", new TextEncoder().encode("zzzz not a pkt-line"), /malformed pkt-line length/],
    ["a first command without capabilities", concatBytes([encodePkt(`${Z} ${HEAD} refs/heads/main\n`), FLUSH]), /no capability list/],
    ["a malformed command", concatBytes([encodePkt(`${Z} ${HEAD.slice(1)} refs/heads/main\0report-status\n`), FLUSH]), /malformed ref update command/],
    ["a ref updated twice", concatBytes([encodePkt(`${Z} ${HEAD} refs/heads/main\0report-status\n`), encodePkt(`${Z} ${HEAD} refs/heads/main\n`), FLUSH]), /duplicate ref update/],
  ];
  for (const [what, request, detail] of malformed) {
    it(`answers ${what} with 400 and JSON, storing nothing`, async () => {
      await inRepo(async (repo) => {
        const res = await receivePack(repo, new Response(concatBytes([request, fixturePack()])).body!, { principal: { ...ANONYMOUS_ADMIN, actor: "alice" }, repoName: "o/r" });
        expect(res.status).toBe(400);
        const json = await res.json<{ error: string; detail: string }>();
        expect(json.error).toBe("malformed push request");
        expect(json.detail).toMatch(detail);
        expect([count(repo, "refs"), count(repo, "packs"), repo.exists()]).toEqual([0, 0, false]);
      });
    });
  }
});

describe("receivePack refusals that leave storage as it was", () => {
  const snapshot = (repo: Repository) => ({ refs: Object.fromEntries(repo.refs.all()), packs: count(repo, "packs"), objects: count(repo, "objects"), events: repo.refs.lastSeq() });

  it("refuses refs that clash as file and directory, with the stored refs and within the push, as git words it", async () => {
    await inRepo(async (repo) => {
      await push(repo, body([`${Z} ${HEAD} refs/heads/main`], "report-status", fixturePack()));
      const before = snapshot(repo);
      const under = await push(repo, body([`${Z} ${HEAD} refs/heads/main/sub`], "report-status", EMPTY_PACK));
      expect(under.report.results).toEqual([{ ref: "refs/heads/main/sub", ok: false, reason: "cannot lock ref 'refs/heads/main/sub': 'refs/heads/main' exists; cannot create 'refs/heads/main/sub'" }]);
      const above = await push(repo, body([`${Z} ${HEAD} refs/heads`], "report-status", EMPTY_PACK));
      expect(above.report.results[0]).toMatchObject({ ok: false, reason: expect.stringContaining("cannot lock ref 'refs/heads'") });
      const both = await push(repo, body([`${Z} ${HEAD} refs/heads/x`, `${Z} ${HEAD} refs/heads/x/y`], "report-status", EMPTY_PACK));
      expect(both.report.results.map((r) => r.ok)).toEqual([false, false]);
      expect(both.report.results[0]).toEqual({ ref: "refs/heads/x", ok: false, reason: "cannot process 'refs/heads/x' and 'refs/heads/x/y' at the same time" });
      expect(snapshot(repo)).toEqual(before);
      // Deleting main in the same push frees its name for main/sub.
      const moved = await push(repo, body([`${HEAD} ${Z} refs/heads/main`, `${Z} ${HEAD} refs/heads/main/sub`], "report-status", EMPTY_PACK));
      expect(moved.report.results.map((r) => r.ok)).toEqual([true, true]);
    });
  });

  it("refuses a command list over MAX_COMMAND_BYTES with 413, storing nothing", async () => {
    await inRepo(async (base, state) => {
      const repo = new Repository(state, { ...base.settings, limits: { ...base.settings.limits, commandBytes: 1000 } });
      const commands = Array.from({ length: 20 }, (_, i) => `${Z} ${HEAD} refs/heads/b${i}`);
      const res = await receivePack(repo, body(commands, "report-status", fixturePack()), { principal: ANONYMOUS_ADMIN, repoName: "o/r" });
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ error: "the command list and push options are over this server's limit of 1000 bytes" });
      expect(snapshot(repo)).toEqual({ refs: {}, packs: 0, objects: 0, events: 0 });
    });
  });

  it("refuses a ref name that is not UTF-8, with a message, storing nothing", async () => {
    await inRepo(async (repo) => {
      const line = concatBytes([new TextEncoder().encode(`${Z} ${HEAD} refs/heads/caf`), new Uint8Array([0xe9]), new TextEncoder().encode("\0report-status side-band-64k\n")]);
      const res = await receivePack(repo, new Response(concatBytes([encodePkt(line), FLUSH, fixturePack()])).body!, { principal: ANONYMOUS_ADMIN, repoName: "o/r" });
      const demuxed = demuxSideband(parsePkts(new Uint8Array(await res.arrayBuffer())));
      expect(demuxed[2]).toContain("is not valid UTF-8");
      expect(decodeReportStatus(demuxed[1]).unpack).toBe("invalid ref name");
      expect(snapshot(repo)).toEqual({ refs: {}, packs: 0, objects: 0, events: 0 });
    });
  });
});
