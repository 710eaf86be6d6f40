// Fuzzing the whole server through the Worker's fetch handler: valid pkt-line streams, command
// lists, packs, objects and API bodies, mutated at random with a fixed seed. No case may throw, hang,
// answer 500 or change storage unless the server reports that it accepted a ref. Run more with
// `npm run fuzz -- --cases N --seed S`; a failure prints the seed and case that reproduce it.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ZERO_OID } from "../../durable/protocol/oid";
import { concatBytes, encodePkt, FLUSH } from "../../durable/protocol/pktline";
import { Random } from "../../bench/harness/random";
import { HEAD } from "../fixtures/packs";
import { commit, object, pack, tree, type HandObject } from "../support/hand-pack";
import { fullPack, receivePackRequest, stored } from "../support/workerd/push";
import { send, tokenEnv } from "../support/workerd/worker";

const vars = env as unknown as { FUZZ_CASES?: string; FUZZ_SEED?: string };
const CASES = Number(vars.FUZZ_CASES ?? 1500);
const SEED = Number(vars.FUZZ_SEED ?? 20261203);
const REPO = "fuzz/target";
const open = tokenEnv({ AUTH_MODE: "open" });
const text = (s: string) => new TextEncoder().encode(s);

/** Applies 1-4 random edits: flip, insert, delete, duplicate or truncate. */
function mutate(rng: Random, input: Uint8Array): Uint8Array {
  let data = input;
  for (let n = 1 + rng.below(4); n > 0; n--) {
    const at = data.length ? rng.below(data.length) : 0;
    const len = 1 + rng.below(Math.min(64, Math.max(1, data.length - at)));
    switch (rng.below(5)) {
      case 0:
        data = Uint8Array.from(data);
        if (data.length) data[at] = (data[at]! ^ (1 << rng.below(8))) & 0xff;
        break;
      case 1:
        data = concatBytes([data.subarray(0, at), rng.bytes(len), data.subarray(at)]);
        break;
      case 2:
        data = concatBytes([data.subarray(0, at), data.subarray(at + len)]);
        break;
      case 3:
        data = concatBytes([data.subarray(0, at + len), data.subarray(at, at + len), data.subarray(at + len)]);
        break;
      default:
        data = data.subarray(0, at);
    }
  }
  return data;
}

const commands = (lines: string[]) => concatBytes([...lines.map((l, i) => encodePkt(i === 0 ? `${l}\0report-status side-band-64k atomic\n` : `${l}\n`)), FLUSH]);
const blob = object("blob", "fuzz\n");

/** What each kind of case sends, built from a mutation of a valid request. */
const KINDS: { name: string; build(rng: Random): Request }[] = [
  { name: "push", build: (rng) => post("git-receive-pack", mutate(rng, concatBytes([commands([`${ZERO_OID} ${HEAD} refs/heads/f${rng.below(9)}`]), fullPack()]))) },
  { name: "command list", build: (rng) => post("git-receive-pack", mutate(rng, commands([`${HEAD} ${ZERO_OID} refs/heads/main`, `${ZERO_OID} ${HEAD} refs/tags/t`]))) },
  { name: "object", build: (rng) => post("git-receive-pack", objectPush(rng)) },
  { name: "upload v2", build: (rng) => post("git-upload-pack", mutate(rng, concatBytes([encodePkt("command=fetch\n"), encodePkt("object-format=sha1\n"), text("0001"), encodePkt(`want ${HEAD}\n`), encodePkt("done\n"), FLUSH])), { "Git-Protocol": "version=2" }) },
  { name: "upload v0", build: (rng) => post("git-upload-pack", mutate(rng, concatBytes([encodePkt(`want ${HEAD} multi_ack_detailed side-band-64k ofs-delta\n`), encodePkt("deepen 1\n"), FLUSH, encodePkt("done\n")]))) },
  { name: "ls-refs", build: (rng) => post("git-upload-pack", mutate(rng, concatBytes([encodePkt("command=ls-refs\n"), text("0001"), encodePkt("peel\n"), encodePkt("ref-prefix refs/heads/\n"), FLUSH])), { "Git-Protocol": "version=2" }) },
  { name: "restore", build: (rng) => api("refs/restore", "POST", mutate(rng, text('{"ref": "refs/heads/main", "seq": 1, "oldOid": "' + HEAD + '"}'))) },
  { name: "settings", build: (rng) => api("", "PATCH", mutate(rng, text('{"visibility": "private", "protection": [{"pattern": "refs/heads/*", "forcePush": false}]}'))) },
  { name: "query", build: (rng) => new Request(`http://x/api/repos/${REPO}/ref-log?${new TextDecoder().decode(mutate(rng, text("ref=refs/heads/*&kind=create,force&limit=5&since=2024-01-01")))}`) },
];

function post(service: string, body: Uint8Array, headers: Record<string, string> = {}): Request {
  return new Request(`http://x/${REPO}.git/${service}`, { method: "POST", body, headers });
}

function api(path: string, method: string, body: Uint8Array): Request {
  return new Request(`http://x/api/repos/${REPO}${path ? `/${path}` : ""}`, { method, body });
}

/** A well-formed pack of hand-built objects, one of them mutated: exercises the object checks. */
function objectPush(rng: Random): Uint8Array {
  const good = tree(["100644", "a", blob.oid], ["100644", ".gitmodules", blob.oid]);
  const objects: HandObject[] = [blob, good, commit(good.oid, [HEAD])];
  const victim = rng.below(objects.length);
  objects[victim] = object(objects[victim]!.kind, mutate(rng, objects[victim]!.data));
  return concatBytes([commands([`${ZERO_OID} ${objects[2]!.oid} refs/heads/o${rng.below(9)}`]), pack(objects)]);
}

/** What a refused request must leave as it was (chunks may move to R2 meanwhile: the tiny test storage limit archives packs in the background). */
async function snapshot() {
  const { chunks: _moving, ...rest } = await stored(REPO);
  return rest;
}

async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

describe(`fuzz: ${CASES} cases, seed ${SEED}`, () => {
  it("never answers 500, never hangs, and changes storage only for a push it accepts", { timeout: 600_000 }, async () => {
    expect((await send(receivePackRequest(REPO, [`${ZERO_OID} ${HEAD} refs/heads/main`]), open)).status).toBe(200);
    for (let i = 0; i < CASES; i++) {
      const rng = new Random(SEED + i);
      const kind = KINDS[rng.below(KINDS.length)]!;
      const where = `case ${i} (${kind.name}); replay: npm run fuzz -- --seed ${SEED} --cases ${i + 1}`;
      const before = await snapshot();
      const res = await withDeadline(send(kind.build(rng), open), 10_000, where);
      const body = new TextDecoder("latin1").decode(await res.arrayBuffer());
      expect(res.status, `${where}: ${body.slice(0, 300)}`).toBeLessThan(500);
      // A push whose mutated capabilities no longer ask for report-status gets an empty 200 either way.
      const unreported = kind.name !== "restore" && kind.name !== "settings" && res.status === 200 && body === "";
      const accepted = unreported || /ok refs\//.test(body) || (kind.name === "restore" && res.status === 201) || (kind.name === "settings" && res.status === 200);
      if (!accepted) expect(await snapshot(), `${where}: ${body.slice(0, 300)}`).toEqual(before);
    }
  });
});
