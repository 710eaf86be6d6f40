// Shared helpers of the tests inside a repository object: calling the API, seeding ref events, storing
// the fixture pack (so restores find real commits) or hand-made objects, and
// a repository whose restore has set its housekeeping alarm.
import { runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";
import { inRepo, testEnv } from "../../../bench/harness/in-repo";
import { ANONYMOUS_ADMIN } from "../../../durable/access/principal";
import { noteRefEvents } from "../../../durable/store/whole-reuse";
import { handleApi } from "../../../durable/api/handle";
import { parseCommit } from "../../../durable/pack/parse-object";
import { ZERO_OID } from "../../../durable/protocol/oid";
import type { RefEvent, RefEventKind } from "../../../durable/refs/log";
import type { Repository } from "../../../durable/repository";
import { ingestPack } from "../../../durable/store/ingest";
import { chunkSource } from "../../../durable/protocol/chunk-source";
import { FULL, HEAD } from "../../fixtures/packs";
import { packLimits } from "../pack-limits";
import { pack, type HandObject } from "../hand-pack";

export const Z = ZERO_OID;

/** A distinct fake object id for each n. */
export function oid(n: number): string {
  return n.toString(16).padStart(40, "0");
}

export interface ApiResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Calls the API of repository o/r with `path` (after /api/repos/o/r/). */
export function call(repo: Repository, path: string, init?: RequestInit & { actor?: string }): Promise<Response> {
  return handleApi(repo, new Request(`http://x/api/repos/o/r/${path}`, init), { ...ANONYMOUS_ADMIN, actor: init?.actor ?? "tester" });
}

/** The same, with the JSON answer parsed. */
export async function api<T = any>(repo: Repository, path: string, init?: RequestInit & { actor?: string }): Promise<ApiResult<T>> {
  const res = await call(repo, path, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

/** The same call, expecting 200, returning the body. */
export async function ok<T = any>(repo: Repository, path: string, init?: RequestInit & { actor?: string }): Promise<T> {
  const res = await api<T>(repo, path, init);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

export function postJson(body: unknown, actor?: string): RequestInit & { actor?: string } {
  return { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "Content-Type": "application/json" }, actor };
}

export interface Change {
  ref: string;
  /** New value; ZERO_OID deletes. */
  to: string;
  kind?: RefEventKind;
  actor?: string;
  /** ms since the epoch (default: now). */
  at?: number;
  pushId?: string;
}

/**
 * Creates repository o/r if needed and appends one event per change, in one transaction per change,
 * with the old value taken from the refs; the kind defaults to create, delete or update.
 */
export function seed(repo: Repository, ...changes: Change[]): RefEvent[] {
  repo.create("o/r");
  return changes.map((c) =>
    repo.transaction(() => {
      const old = repo.refs.get(c.ref) ?? Z;
      const kind = c.kind ?? (old === Z ? "create" : c.to === Z ? "delete" : "update");
      const events = repo.refs.append([{ pushId: c.pushId ?? crypto.randomUUID(), ref: c.ref, oldOid: old, newOid: c.to, kind, actor: c.actor ?? "alice" }], c.at);
      return noteRefEvents(repo.sql, events)[0]!;
    }),
  );
}

/** Stores hand-made objects (support/hand-pack.ts) as a live pack. */
export async function storeObjects(repo: Repository, objects: HandObject[]): Promise<void> {
  const packId = await ingestPack(repo.packs, repo.store, chunkSource(new Response(pack(objects)).body!), packLimits(1 << 20));
  repo.transaction(() => repo.packs.markLive(packId));
}

/** Stores the fixture pack (6 commits in a line, HEAD the last) as a live pack; returns its id and commits, newest first. */
export async function storeFixturePack(repo: Repository): Promise<{ packId: number; bytes: number; commits: string[] }> {
  const data = Uint8Array.from(atob(FULL), (c) => c.charCodeAt(0));
  const packId = await ingestPack(repo.packs, repo.store, chunkSource(new Response(data).body!), packLimits(1 << 30));
  repo.transaction(() => repo.packs.markLive(packId));
  const commits = [HEAD];
  for (;;) {
    const parent = parseCommit((await repo.store.read(commits[commits.length - 1]!))!.data).parents[0];
    if (!parent) return { packId, bytes: data.length, commits };
    commits.push(parent);
  }
}

/** The query plan of `sql` as one line per step. */
export function queryPlan(repo: Repository, sql: string, params: SqlStorageValue[]): string[] {
  return repo.sql.exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...params).toArray().map((r) => r.detail);
}

/** Fails when a step reads all of ref_events (aliased e in some queries), the table or a whole index, instead of seeking. */
export function expectNoFullScan(plan: string[]): void {
  for (const step of plan) expect(step, plan.join("\n")).not.toMatch(/^SCAN (ref_events|e)\b/);
}

/** Runs `update` on ref_events with the no-update trigger out of the way (as someone with raw SQL access could), then puts the trigger back. */
export function tamper(repo: Repository, update: string, ...params: SqlStorageValue[]): void {
  const trigger = repo.sql.exec<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'ref_events_no_update'").one().sql;
  repo.sql.exec("DROP TRIGGER ref_events_no_update");
  repo.sql.exec(update, ...params);
  repo.sql.exec(trigger);
  expect(() => repo.sql.exec("UPDATE ref_events SET actor = 'x'")).toThrow(/append-only/);
}

/**
 * A repository of the fixture's commits whose main went forward two commits and is then restored,
 * through the API, to its first event: a write that calls for housekeeping. Returns its stub, its
 * commits, and a reader of its alarm, once the alarm is set; `name` is for inRepo.
 */
export async function restoredRepo(): Promise<{ name: string; stub: DurableObjectStub; commits: string[]; alarm: () => Promise<number | null> }> {
  const name = crypto.randomUUID();
  let commits: string[] = [];
  await inRepo(async (repo) => {
    commits = (await storeFixturePack(repo)).commits;
    seed(repo, { ref: "refs/heads/main", to: commits[2]! }, { ref: "refs/heads/main", to: commits[0]! });
  }, name);
  const stub = testEnv.REPO.get(testEnv.REPO.idFromName(name));
  const body = JSON.stringify({ ref: "refs/heads/main", seq: 1 });
  const res = await stub.fetch("http://repo/api/repos/o/r/refs/restore", { method: "POST", body, headers: { "Content-Type": "application/json", "X-Repo-Name": "o/r" } });
  expect(res.status).toBe(201);
  const alarm = () => runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
  for (let i = 0; i < 50 && (await alarm()) === null; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return { name, stub, commits, alarm };
}
