// git-upload-pack (durable/service/upload-pack.ts), called with a repository holding the fixture's six
// commits (main at HEAD, dev two back, the annotated tag v1 on HEAD): v2 ls-refs, v0 want/have/done with
// a pack that indexes back in a second repository, side-band, include-tag, stateless negotiation
// rounds, v2 fetch with and without a shallow boundary or a filter, object-info, and requests refused
// with git's ERR line (or, for a body that is not pkt-lines, 400 and JSON).
import { describe, expect, it } from "vitest";
import { parsePackHeader } from "../../../durable/pack/header";
import { chunkSource } from "../../../durable/protocol/chunk-source";
import { concatBytes, DELIM, encodePkt, FLUSH, parsePkts, pktText, readPkt } from "../../../durable/protocol/pktline";
import { demuxSideband } from "../../../durable/protocol/sideband";
import type { Repository } from "../../../durable/repository";
import { uploadPack } from "../../../durable/service/upload-pack";
import { ingestPack } from "../../../durable/store/ingest";
import { HEAD, OBJECT_COUNT, TAG } from "../../fixtures/packs";
import { OBJ_BLOB, OBJ_COMMIT } from "../../../durable/pack/types";
import { turnOffWholeReuse, turnOnWholeReuse } from "../../../durable/store/whole-reuse";
import { oid, seed, storeFixturePack } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";
import { packLimits } from "../../support/pack-limits";

type Line = string | Uint8Array;

/** A request body: strings and bytes as data pkts, FLUSH and DELIM as they are. */
function request(...items: Line[]): ReadableStream<Uint8Array> {
  return new Response(concatBytes(items.map((i) => (i === FLUSH || i === DELIM ? i : encodePkt(i))))).body!;
}

/** The fixture's commits, newest first, with main, dev and v1 pointing into them. */
async function withRefs(repo: Repository): Promise<string[]> {
  const { commits } = await storeFixturePack(repo);
  seed(repo, { ref: "refs/heads/main", to: HEAD }, { ref: "refs/heads/dev", to: commits[2]! }, { ref: "refs/tags/v1", to: TAG });
  return commits;
}

interface Answer {
  status: number;
  /** The pkt-lines before the pack, as text; flush "0000", delim "0001". */
  lines: string[];
  pack: Uint8Array;
  progress: string;
  error: string;
}

/** Reads an answer: pkt-lines, then the pack as raw bytes (`sideband` false) or in side-band pkts. */
async function answer(res: Response, sideband: boolean): Promise<Answer> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  const lines: string[] = [];
  let at = 0;
  while (at < bytes.length && new TextDecoder().decode(bytes.subarray(at, at + 4)) !== "PACK") {
    const { pkt, next } = readPkt(bytes, at)!;
    if (sideband && pkt.kind === "data" && pkt.data[0]! <= 3) break;
    lines.push(pkt.kind === "data" ? pktText(pkt.data) : pkt.kind === "flush" ? "0000" : "0001");
    at = next;
  }
  const rest = bytes.subarray(at);
  if (!sideband) return { status: res.status, lines, pack: rest, progress: "", error: "" };
  const bands = demuxSideband(parsePkts(rest));
  return { status: res.status, lines, pack: bands[1], progress: bands[2], error: bands[3] };
}

/** The objects in `pack`, as another repository's indexer finds them. */
async function indexed(pack: Uint8Array): Promise<string[]> {
  return (await indexedTypes(pack)).map((r) => r.oid);
}

/** The objects in `pack` with their types. */
async function indexedTypes(pack: Uint8Array): Promise<{ oid: string; type: number }[]> {
  return inRepo(async (other) => {
    await ingestPack(other.packs, other.store, chunkSource(new Response(pack).body!), packLimits(1 << 30));
    return other.sql.exec<{ oid: string; type: number }>("SELECT oid, type FROM objects").toArray();
  });
}

const lsRefs = (...args: string[]) => request("command=ls-refs\n", "object-format=sha1\n", DELIM, ...args.map((a) => `${a}\n`), FLUSH);

describe("uploadPack v2 ls-refs", () => {
  it("lists HEAD and every ref, with symref targets and peeled tags when asked", async () => {
    await inRepo(async (repo) => {
      const commits = await withRefs(repo);
      const res = await uploadPack(repo, lsRefs("symrefs", "peel"), 2);
      expect(res.headers.get("Content-Type")).toBe("application/x-git-upload-pack-result");
      expect((await answer(res, false)).lines).toEqual([
        `${HEAD} HEAD symref-target:refs/heads/main`,
        `${commits[2]} refs/heads/dev`,
        `${HEAD} refs/heads/main`,
        `${TAG} refs/tags/v1 peeled:${HEAD}`,
        "0000",
      ]);
    });
  });

  it("lists only the refs under the prefixes asked for", async () => {
    await inRepo(async (repo) => {
      await withRefs(repo);
      expect((await answer(await uploadPack(repo, lsRefs("ref-prefix refs/tags/"), 2), false)).lines).toEqual([`${TAG} refs/tags/v1`, "0000"]);
    });
  });

  it("shows an unborn HEAD only when asked", async () => {
    await inRepo(async (repo) => {
      await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/dev", to: HEAD });
      expect((await answer(await uploadPack(repo, lsRefs("symrefs", "unborn"), 2), false)).lines).toEqual([
        "unborn HEAD symref-target:refs/heads/main",
        `${HEAD} refs/heads/dev`,
        "0000",
      ]);
      expect((await answer(await uploadPack(repo, lsRefs("symrefs"), 2), false)).lines).toEqual([`${HEAD} refs/heads/dev`, "0000"]);
    });
  });
});

describe("uploadPack v0", () => {
  it("answers want and done with NAK and a pack of everything the want reaches", async () => {
    await inRepo(async (repo) => {
      const commits = await withRefs(repo);
      const { lines, pack } = await answer(await uploadPack(repo, request(`want ${HEAD}\n`, FLUSH, "done\n"), 0), false);
      expect(lines).toEqual(["NAK"]);
      expect(parsePackHeader(pack).count).toBe(OBJECT_COUNT - 1);
      const objects = await indexed(pack);
      expect(objects).toHaveLength(OBJECT_COUNT - 1);
      expect(objects).toEqual(expect.arrayContaining(commits));
      expect(objects).not.toContain(TAG);
    });
  });

  it("sends the stored pack whole to a clone of every ref", async () => {
    await inRepo(async (repo) => {
      const commits = await withRefs(repo);
      const wants = [HEAD, commits[2]!, TAG].map((w, i) => (i === 0 ? `want ${w} side-band-64k ofs-delta\n` : `want ${w}\n`));
      const { lines, pack, progress } = await answer(await uploadPack(repo, request(...wants, FLUSH, "done\n"), 0), true);
      expect(lines).toEqual(["NAK"]);
      expect(progress).toContain(`Total ${OBJECT_COUNT}, reused ${OBJECT_COUNT}, pack-reused ${OBJECT_COUNT} (1 stored pack sent whole)`);
      expect((await indexed(pack)).sort()).toEqual(repo.sql.exec<{ oid: string }>("SELECT oid FROM objects ORDER BY oid").toArray().map((r) => r.oid));
    });
  });

  it("acks the last common have and sends only what the client lacks", async () => {
    await inRepo(async (repo) => {
      const commits = await withRefs(repo);
      const body = request(`want ${HEAD}\n`, FLUSH, `have ${oid(1)}\n`, `have ${commits[3]}\n`, "done\n");
      const { lines, pack } = await answer(await uploadPack(repo, body, 0), false);
      expect(lines).toEqual([`ACK ${commits[3]}`]);
      const objects = await indexed(pack);
      expect(objects).toHaveLength(12);
      expect(objects).toEqual(expect.arrayContaining(commits.slice(0, 3)));
      expect(objects).not.toContain(commits[3]);
    });
  });

  it("sends the pack on side-band-64k with progress on band 2, and adds tags with include-tag", async () => {
    await inRepo(async (repo) => {
      await withRefs(repo);
      const res = await uploadPack(repo, request(`want ${HEAD} side-band-64k ofs-delta include-tag\n`, FLUSH, "done\n"), 0);
      const { lines, pack, progress, error } = await answer(res, true);
      expect(lines).toEqual(["NAK"]);
      expect(await indexed(pack)).toContain(TAG);
      expect(progress).toContain(`Enumerating objects: ${OBJECT_COUNT}, done.`);
      expect(progress).toContain(`Total ${OBJECT_COUNT}`);
      expect(error).toBe("");
      const quiet = await answer(await uploadPack(repo, request(`want ${HEAD} side-band-64k no-progress\n`, FLUSH, "done\n"), 0), true);
      expect([quiet.progress, parsePackHeader(quiet.pack).count]).toEqual(["", OBJECT_COUNT - 1]);
    });
  });

  it("negotiates a stateless round: common and ready without a pack, or with the pack under no-done", async () => {
    await inRepo(async (repo) => {
      const commits = await withRefs(repo);
      const round = (caps: string) => request(`want ${HEAD} ${caps}\n`, FLUSH, `have ${commits[3]}\n`, `have ${oid(1)}\n`, FLUSH);
      const first = await answer(await uploadPack(repo, round("multi_ack_detailed"), 0), false);
      expect(first.lines).toEqual([`ACK ${commits[3]} common`, `ACK ${commits[3]} ready`, "NAK"]);
      expect(first.pack.length).toBe(0);
      const noDone = await answer(await uploadPack(repo, round("multi_ack_detailed no-done"), 0), false);
      expect(noDone.lines).toEqual([`ACK ${commits[3]} common`, `ACK ${commits[3]} ready`, "NAK", `ACK ${commits[3]}`]);
      expect(parsePackHeader(noDone.pack).count).toBe(12);
    });
  });

  it("answers a request without wants with nothing", async () => {
    await inRepo(async (repo) => {
      await withRefs(repo);
      const res = await uploadPack(repo, request(FLUSH), 0);
      expect([res.status, (await res.arrayBuffer()).byteLength]).toEqual([200, 0]);
    });
  });
});

describe("uploadPack v2 fetch", () => {
  it("sends the packfile section on side-band after done", async () => {
    await inRepo(async (repo) => {
      const commits = await withRefs(repo);
      const body = request("command=fetch\n", DELIM, `want ${HEAD}\n`, `have ${commits[3]}\n`, "done\n", FLUSH);
      const { lines, pack } = await answer(await uploadPack(repo, body, 2), true);
      expect(lines).toEqual(["packfile"]);
      expect(await indexed(pack)).toHaveLength(12);
    });
  });

  it("acknowledges common haves, and is ready for the pack at once unless told to wait for done", async () => {
    await inRepo(async (repo) => {
      const commits = await withRefs(repo);
      const fetch = (...args: string[]) => request("command=fetch\n", DELIM, `want ${HEAD}\n`, `have ${commits[3]}\n`, ...args, FLUSH);
      const ready = await answer(await uploadPack(repo, fetch(), 2), true);
      expect(ready.lines).toEqual(["acknowledgments", `ACK ${commits[3]}`, "ready", "0001", "packfile"]);
      expect(parsePackHeader(ready.pack).count).toBe(12);
      const waiting = await answer(await uploadPack(repo, fetch("wait-for-done\n"), 2), true);
      expect(waiting.lines).toEqual(["acknowledgments", `ACK ${commits[3]}`, "0000"]);
      expect(waiting.pack.length).toBe(0);
    });
  });

  it("leaves out what a filter omits, but never an object a want names", async () => {
    await inRepo(async (repo) => {
      await withRefs(repo);
      const fetch = (...args: string[]) => request("command=fetch\n", DELIM, ...args, "done\n", FLUSH);
      const blobless = await indexedTypes((await answer(await uploadPack(repo, fetch(`want ${HEAD}\n`, "filter blob:none\n"), 2), true)).pack);
      expect(blobless.length).toBeGreaterThan(0);
      expect(blobless.map((r) => r.type)).not.toContain(OBJ_BLOB);
      const commitsOnly = await indexedTypes((await answer(await uploadPack(repo, fetch(`want ${HEAD}\n`, "filter tree:0\n"), 2), true)).pack);
      expect(new Set(commitsOnly.map((r) => r.type))).toEqual(new Set([OBJ_COMMIT]));
      const blob = repo.sql.exec<{ oid: string }>("SELECT oid FROM objects WHERE type = ? LIMIT 1", OBJ_BLOB).one().oid;
      const lazy = await indexedTypes((await answer(await uploadPack(repo, fetch(`want ${blob}\n`, "filter blob:none\n"), 2), true)).pack);
      expect(lazy).toEqual([{ oid: blob, type: OBJ_BLOB }]);
    });
  });

  it("picks a filtered clone of every ref from the stored packs as a walk of history would choose it", async () => {
    await inRepo(async (repo) => {
      const commits = await withRefs(repo);
      const clone = (filter: string) =>
        request("command=fetch\n", DELIM, `want ${HEAD}\n`, `want ${commits[2]}\n`, `want ${TAG}\n`, "ofs-delta\n", `filter ${filter}\n`, "done\n", FLUSH);
      const sorted = (rows: { oid: string; type: number }[]) => rows.map((r) => `${r.oid} ${r.type}`).sort();
      for (const filter of ["blob:none", "tree:0", "blob:limit=100", "object:type=tree", "combine:blob:none+tree:0"]) {
        const picked = await answer(await uploadPack(repo, clone(filter), 2), true);
        expect(picked.progress).toMatch(/pack-reused 0 \(picked from 1 stored pack\)/);
        turnOffWholeReuse(repo.sql, "a test");
        const walked = await answer(await uploadPack(repo, clone(filter), 2), true);
        turnOnWholeReuse(repo.sql, null);
        expect(walked.progress).not.toMatch(/picked from/);
        expect(sorted(await indexedTypes(picked.pack)), filter).toEqual(sorted(await indexedTypes(walked.pack)));
      }
    });
  });

  it("answers object-info with each object's size, and nothing after the space for an unknown id", async () => {
    await inRepo(async (repo) => {
      await withRefs(repo);
      const size = (await repo.store.read(HEAD))!.data.length;
      const body = request("command=object-info\n", DELIM, "size\n", `oid ${HEAD}\n`, `oid ${oid(7)}\n`, FLUSH);
      const { lines } = await answer(await uploadPack(repo, body, 2), false);
      expect(lines).toEqual(["size", `${HEAD} ${size}`, `${oid(7)} `, "0000"]);
    });
  });

  it("opens a shallow fetch with its shallow-info section", async () => {
    await inRepo(async (repo) => {
      await withRefs(repo);
      const body = request("command=fetch\n", DELIM, `want ${HEAD}\n`, "deepen 1\n", "done\n", FLUSH);
      const { lines, pack } = await answer(await uploadPack(repo, body, 2), true);
      expect(lines).toEqual(["shallow-info", `shallow ${HEAD}`, "0001", "packfile"]);
      expect(await indexed(pack)).toHaveLength(4);
    });
  });
});

describe("uploadPack refusals", () => {
  const refused: [string, number, () => ReadableStream<Uint8Array>, RegExp][] = [
    ["a want that is not stored", 0, () => request(`want ${oid(7)}\n`, FLUSH, "done\n"), /is not our ref/],
    ["a v2 fetch of a want that is not stored", 2, () => request("command=fetch\n", DELIM, `want ${oid(7)}\n`, "done\n", FLUSH), /is not our ref/],
    ["an unknown v2 command", 2, () => request("command=frobnicate\n", FLUSH), /unknown command 'frobnicate'/],
    ["an unknown ls-refs argument", 2, () => lsRefs("everything"), /unknown ls-refs argument/],
    ["a filter without the capability", 0, () => request(`want ${HEAD}\n`, "filter blob:none\n", FLUSH, "done\n"), /filtering capability not negotiated/],
    ["a malformed filter", 2, () => request("command=fetch\n", DELIM, `want ${HEAD}\n`, "filter blob:limit=lots\n", "done\n", FLUSH), /invalid filter-spec "blob:limit=lots"/],
    ["a sparse:oid filter", 2, () => request("command=fetch\n", DELIM, `want ${HEAD}\n`, "filter sparse:oid=HEAD:x\n", "done\n", FLUSH), /filter 'sparse:oid' not supported/],
    ["a deepen-not of no ref", 2, () => request("command=fetch\n", DELIM, `want ${HEAD}\n`, "deepen-not nothing\n", "done\n", FLUSH), /deepen-not "nothing" is not a ref/],
  ];
  for (const [what, version, body, message] of refused) {
    it(`answers ${what} with git's ERR line`, async () => {
      await inRepo(async (repo) => {
        await withRefs(repo);
        const res = await uploadPack(repo, body(), version);
        expect(res.status).toBe(200);
        const text = new TextDecoder().decode(await res.arrayBuffer());
        expect(text).toMatch(/^[0-9a-f]{4}ERR /);
        expect(text).toMatch(message);
      });
    });
  }

  it("answers a body that is not pkt-lines with 400 and JSON", async () => {
    await inRepo(async (repo) => {
      const res = await uploadPack(repo, new Response("zzzz").body!, 0);
      expect(res.status).toBe(400);
      expect((await res.json<{ error: string }>()).error).toMatch(/malformed pkt-line length/);
    });
  });
});
