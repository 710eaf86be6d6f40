// Benchmark of the ref audit API on a repository with 100,000 events, run inside workerd:
//   npx vitest run --config bench/vitest.config.ts
// Times the handlers server-side (no HTTP) and prints a table. Not a test: it asserts nothing but
// that the answers are sane.
import { ANONYMOUS_ADMIN } from "../durable/access/principal";
import { afterAll, expect, it } from "vitest";
import { handleApi } from "../durable/api/handle";
import { encodeCursor } from "../durable/api/cursor";
import { ZERO_OID } from "../durable/protocol/oid";
import { refsAsOfQuery } from "../durable/refs/as-of";
import { eventHash, GENESIS_HASH, type RefEvent, type RefEventKind } from "../durable/refs/log";
import type { Repository } from "../durable/repository";
import { inRepo } from "./harness/in-repo";

const EVENTS = 100_000;
const T0 = Date.UTC(2024, 0, 1);
/** The platform's limit of bound parameters per statement. */
const MAX_PARAMS = 100;

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Which ref event `seq` changes. */
type RefChooser = (seq: number, rand: () => number) => string;

/** Like a busy repository: every tenth event moves main, 5% create a tag, the rest touch one of 500 feature branches. */
const BUSY: RefChooser = (seq, rand) => {
  if (seq % 10 === 1) return "refs/heads/main";
  if (rand() < 0.05) return `refs/tags/v${seq}`;
  return `refs/heads/feature/${Math.floor(rand() * 500)}`;
};

/** Few refs: main and 20 long-lived branches. */
const FEW: RefChooser = (seq, rand) => (seq % 10 === 1 ? "refs/heads/main" : `refs/heads/feature/${Math.floor(rand() * 20)}`);

/**
 * Events that create, update, force-push or delete the refs `choose` picks; 20 actors; one second
 * apart; pushes of one to three events. The hash chain and the refs projection are computed as well.
 */
function history(choose: RefChooser): { events: RefEvent[]; refs: Map<string, { oid: string; seq: number }> } {
  const rand = random(42);
  const refs = new Map<string, { oid: string; seq: number }>();
  const events: RefEvent[] = [];
  let prevHash = GENESIS_HASH;
  let pushId = "";
  for (let seq = 1; seq <= EVENTS; seq++) {
    const ref = choose(seq, rand);
    const old = refs.get(ref)?.oid ?? ZERO_OID;
    const r = rand();
    const deleting = old !== ZERO_OID && ref.startsWith("refs/heads/feature/") && r < 0.1;
    const newOid = deleting ? ZERO_OID : seq.toString(16).padStart(40, "0");
    const kind: RefEventKind = old === ZERO_OID ? "create" : deleting ? "delete" : r < 0.2 ? "force" : "update";
    if (seq === 1 || rand() < 0.5) pushId = crypto.randomUUID();
    const event: RefEvent = { seq, pushId, ref, oldOid: old, newOid, kind, actor: `actor-${Math.floor(rand() * 20)}`, actorId: null, at: T0 + seq * 1000, prevHash };
    prevHash = eventHash(event);
    events.push(event);
    if (deleting) refs.delete(ref);
    else refs.set(ref, { oid: newOid, seq });
  }
  return { events, refs };
}

/** Inserts rows with as many per statement as MAX_PARAMS allows; returns the number of statements. */
function insert(repo: Repository, table: string, columns: string[], rows: SqlStorageValue[][]): number {
  const per = Math.floor(MAX_PARAMS / columns.length);
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    repo.sql.exec(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}`, ...chunk.flat());
  }
  return Math.ceil(rows.length / per);
}

/** Writes the history (seq is assigned 1, 2, ... in a fresh table) and its refs projection. */
function load(repo: Repository, { events, refs }: ReturnType<typeof history>): number {
  repo.create("o/r");
  const columns = ["push_id", "ref", "old_oid", "new_oid", "kind", "actor", "at", "prev_hash"];
  const statements = insert(repo, "ref_events", columns, events.map((e) => [e.pushId, e.ref, e.oldOid, e.newOid, e.kind, e.actor, e.at, e.prevHash]));
  return statements + insert(repo, "refs", ["name", "oid", "seq"], [...refs].map(([name, v]) => [name, v.oid, v.seq]));
}

/** The table printed at the end: what, ms, note. */
const rows: string[][] = [];

function row(what: string, ms: number, note = ""): void {
  rows.push([what, ms >= 10 ? ms.toFixed(0) : ms.toFixed(2), note]);
}

/** Median ms per call over 7 windows of at least ~40 ms each (workerd's clock ticks in whole ms). */
async function measure(fn: () => Promise<unknown>): Promise<{ ms: number; runs: number }> {
  await fn(); // warm-up: statement compilation, caches
  let t = performance.now();
  await fn();
  const once = Math.max(performance.now() - t, 0.01);
  const perWindow = Math.max(1, Math.min(2000, Math.ceil(40 / once)));
  const samples: number[] = [];
  for (let w = 0; w < 7; w++) {
    t = performance.now();
    for (let i = 0; i < perWindow; i++) await fn();
    samples.push((performance.now() - t) / perWindow);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[3]!, runs: perWindow * 7 };
}

/** The alternative for refs-as-of: GROUP BY over the whole (ref, seq) index, then each ref's row. */
const GROUP_BY = `SELECT e.ref AS ref, e.new_oid AS oid FROM (SELECT ref, max(seq) AS seq FROM ref_events WHERE seq <= ? GROUP BY ref) m
  JOIN ref_events e ON e.seq = m.seq WHERE e.new_oid != ? ORDER BY e.ref`;

/** Times the as-of query this API uses against the GROUP BY form, SQL only, halfway through the log. */
async function compareAsOf(repo: Repository, note: string): Promise<void> {
  const q = refsAsOfQuery(EVENTS / 2);
  const ours = repo.sql.exec(q.sql, ...q.params).toArray();
  expect(repo.sql.exec(GROUP_BY, ...q.params).toArray()).toEqual(ours);
  row(`  as-of SQL: loose index scan (this API)`, (await measure(async () => repo.sql.exec(q.sql, ...q.params).toArray())).ms, note);
  row(`  as-of SQL: GROUP BY ref, max(seq)`, (await measure(async () => repo.sql.exec(GROUP_BY, ...q.params).toArray())).ms, note);
}

async function call(repo: Repository, path: string): Promise<ArrayBuffer> {
  const res = await handleApi(repo, new Request(`http://x/api/repos/o/r/${path}`), { ...ANONYMOUS_ADMIN, actor: "bench" });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.arrayBuffer();
}

it(`ref audit API on ${EVENTS.toLocaleString("en")} events`, async () => {
  await inRepo(async (repo) => {
    let t = performance.now();
    const generated = history(BUSY);
    row("generate 100k events with their hash chain (JS)", performance.now() - t);
    t = performance.now();
    const statements = load(repo, generated);
    row("load them with multi-row INSERTs (<= 100 parameters each)", performance.now() - t, `${statements} statements`);

    const half = EVENTS / 2;
    const halfTime = new Date(T0 + half * 1000).toISOString();
    const pages: [string, string][] = [
      ["ref-log, no filter, first page of 100", "ref-log?limit=100"],
      ["ref-log ref=refs/heads/main (10k events), first page", "ref-log?ref=refs/heads/main&limit=100"],
      ["ref-log ref=refs/heads/main, page at seq 50,000", `ref-log?ref=refs/heads/main&limit=100&cursor=${encodeCursor({ order: "desc", seq: half })}`],
      ["ref-log ref=refs/heads/feature/7 (~170 events)", "ref-log?ref=refs/heads/feature/7&limit=100"],
      ["ref-log ref=refs/tags/* (~4.5k events)", "ref-log?ref=refs/tags/*&limit=100"],
      ["ref-log ref=refs/heads/* (~95k events: worst case)", "ref-log?ref=refs/heads/*&limit=100"],
      ["ref-log actor=actor-3&kind=force (no index)", "ref-log?actor=actor-3&kind=force&limit=100"],
      ["ref-log since/until, one hour at the middle", `ref-log?since=${halfTime}&until=${new Date(T0 + (half + 3600) * 1000).toISOString()}&limit=100`],
      ["refs (current, from the projection)", "refs"],
      [`refs?at=${half} (as of seq)`, `refs?at=${half}`],
      [`refs?at=<time of seq ${half}>`, `refs?at=${halfTime}`],
      ["pushes/{id}", `pushes/${generated.events[half]!.pushId}`],
    ];
    for (const [what, path] of pages) {
      const { ms, runs } = await measure(() => call(repo, path));
      row(what, ms, `${runs} runs`);
    }
    const asOf = JSON.parse(new TextDecoder().decode(await call(repo, `refs?at=${half}`)));
    expect(asOf.seq).toBe(half);

    expect(Object.keys(asOf.refs).length).toBeGreaterThan(2000);
    await compareAsOf(repo, `${Object.keys(asOf.refs).length} refs`);

    row("ref-log/verify (whole chain)", (await measure(() => call(repo, "ref-log/verify"))).ms);

    // NDJSON: memory is bounded by the batch, whatever the log's length. The Workers runtime does not
    // report heap use, so this shows what the stream holds: one batch per chunk, pulled on demand.
    for (const [what, query] of [["ref-log.ndjson, 4.5k events (tags)", "?ref=refs/tags/*"], ["ref-log.ndjson, all 100k events", ""]] as const) {
      t = performance.now();
      const res = await handleApi(repo, new Request(`http://x/api/repos/o/r/ref-log.ndjson${query}`), { ...ANONYMOUS_ADMIN, actor: "bench" });
      const reader = res.body!.getReader();
      let chunks = 0;
      let bytes = 0;
      let largest = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks++;
        bytes += value.byteLength;
        largest = Math.max(largest, value.byteLength);
      }
      row(what, performance.now() - t, `${chunks} chunks, ${(bytes / 1e6).toFixed(1)} MB in all, largest chunk ${(largest / 1024).toFixed(0)} KiB`);
    }
  });
});

it(`refs as of seq ${EVENTS / 2} with few refs`, async () => {
  await inRepo(async (repo) => {
    load(repo, history(FEW));
    await compareAsOf(repo, "21 refs");
  });
});

afterAll(() => {
  const width = [0, 1, 2].map((i) => Math.max(...[["what", "ms", "note"], ...rows].map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 1 ? c.padStart(width[i]!) : c.padEnd(width[i]!))).join(" | ")} |`;
  console.log(["", line(["what", "ms", "note"]), `|${width.map((w, i) => (i === 1 ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`, ...rows.map(line)].join("\n"));
});
