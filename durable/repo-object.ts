// The repository Durable Object: applies migrations at start-up, checks each request's access and
// routes it (git smart-HTTP services and the repository's API), exposes the archive job's RPC
// methods, and runs housekeeping on its alarm.
import { DurableObject } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import migrations from "../migrations/migrations.js";
import type { Env } from "../worker/env";
import { settings } from "../worker/settings";
import { checkAccess } from "./access/gate";
import { decodePrincipal, PRINCIPAL_HEADER } from "./access/principal";
import { changeSettings, currentSettings } from "./access/repo-settings";
import { deletedRefusal } from "./lifecycle/deleted";
import { deletePrefix, repoPrefixes } from "./lifecycle/purge";
import { setUp, type RepoSpec } from "./lifecycle/set-up";
import { beginForkPack, finishFork, forkingFrom, forkSnapshot, indexForkPack, resetFork, sealForkPack, setUpFork, writeForkPack, type ForkSnapshot } from "./lifecycle/fork";
import type { ObjectLocation } from "./store/objects";
import { beginImport, IMPORT_HEADER, mirrorOf, queueMirror, setUpImport, updateImport, type ImportSource, type ImportState } from "./lifecycle/import-state";
import { lastPush } from "./refs/pushes";
import { activeHooks, listHooks } from "./hooks/hooks";
import type { Attempt, OutboxItem } from "./hooks/deliveries";
import type { PreparedDelivery } from "./hooks/prepare";
import { deliveryDone, nextDelivery, redelivery, type NextDelivery } from "./hooks/sender";
import type { HookSender } from "./api/context";
import { handleApi } from "./api/handle";
import { registry } from "./registry/registry-object";
import { ApiError, describe, errorResponse, textErrorResponse } from "./errors";
import { Operation } from "./observe/operation";
import { REQUEST_ID_HEADER } from "./observe/request-id";
import type { Principal } from "./access/principal";
import { discardStream, requestBody } from "./protocol/chunk-source";
import { recordFailure } from "./store/health";
import {
  archivedBytes,
  archiveFinished,
  claimArchive,
  coldestAccess,
  commitArchive,
  hotBytes,
  readClaimedPack,
  recordUpload,
  releaseClaim,
  takeArchiveTrigger,
  type ArchiveTask,
} from "./archive/jobs";
import { dropRetired, repack, RETIRED_GRACE_MS } from "./housekeeping/repack";
import { buildCommitGraph, graphBehind } from "./graph/build";
import { metaDelete, metaGet, metaInit } from "./store/meta";
import { Repository } from "./repository";
import { advertise, type Service } from "./service/advertise";
import { receivePack } from "./service/receive-pack";
import { uploadPack } from "./service/upload-pack";
import { wholeReuseAllowed } from "./store/whole-reuse";
import type { LfsOperation } from "./lfs/batch-request";
import { lfsPage, recordLfsObject } from "./lfs/objects";
import { handleLfs, isLfsPath, lfsGrant, recordLfsUpload, type LfsGrant } from "./lfs/handle";

/** The header with owner/name that the Worker sets on requests it forwards (beside PRINCIPAL_HEADER). */
export const REPO_HEADER = "X-Repo-Name";

/**
 * Housekeeping runs this long after the write that calls for it (a forced update, a delete, a restore,
 * a resent object), so that a burst of them is repacked once.
 */
const HOUSEKEEPING_DELAY_MS = 5 * 60_000;
/** The commit graph is brought up to date this long after a push, so that a burst of pushes is walked once. */
const GRAPH_DELAY_MS = 1_000;

/** What fetch learned of a request before serving it. */
interface Routed {
  path: string;
  version: number;
  name: string;
  principal: Principal;
  api: boolean;
  service: string | null;
  needed: "read" | "write" | "admin";
  op: Operation | null;
}

/** The operation a request is: refined by upload-pack once it has read the request (clone, fetch, ls-refs...). */
function operationName(api: boolean, service: string | null, path: string, method: string): string {
  if (isLfsPath(path)) return "lfs";
  if (!api) return path.endsWith("/info/refs") ? "advertise" : service === "git-receive-pack" ? "push" : "fetch";
  if (path.endsWith("/refs/restore")) return "restore";
  if (path.endsWith("/housekeeping")) return "housekeeping";
  return method === "PATCH" ? "settings" : "api";
}

/** The response, with its bytes counted and the operation finished once the body is sent. */
function observed(op: Operation | null, response: Response): Response {
  if (!op) return response;
  if (response.status >= 400 && op.outcome === "ok") op.refuse(`HTTP ${response.status}`);
  if (!response.body) {
    op.finish();
    return response;
  }
  return new Response(op.countOut(response.body), { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The message an archive job is queued with. */
export interface ArchiveMessage {
  repo: string;
}

/** The message of an import job: fetch `url`'s branches and tags into the repository `target`, as `by`. */
export type ImportMessage = ImportSource;

/** The message of a fork job: copy `source` into the new repository `target`, as `by`. */
export interface ForkMessage {
  source: string;
  target: string;
  by: Principal;
}

/** The message that asks for webhook deliveries: a hook's next events (every active hook's without `hook`), or one redelivery. */
export interface HookMessage {
  repo: string;
  hook?: string;
  delivery?: string;
}

export class RepoObject extends DurableObject<Env> {
  private repo!: Repository;
  /**
   * Git requests and API writes under way, their bodies included. When the last one ends the
   * repository's caches are dropped: they serve a request and those running beside it, and an idle
   * repository holds only its own small state (browse reads, not counted, keep what they warm).
   */
  private running = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(() => this.start());
  }

  private async start(): Promise<void> {
    await migrate(drizzle(this.ctx.storage), migrations);
    this.repo = new Repository(this.ctx, settings(this.env), this.env.ARCHIVE);
    // Not awaited: requests may run while the leftovers are deleted.
    void this.repo.recover();
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    const version = /version=2/.test(request.headers.get("Git-Protocol") ?? "") ? 2 : 0;
    const name = request.headers.get(REPO_HEADER) ?? "";
    const principal = decodePrincipal(request.headers.get(PRINCIPAL_HEADER));
    const api = path.startsWith("/api/");
    const service = path.endsWith("/info/refs") ? url.searchParams.get("service") : path.slice(path.lastIndexOf("/") + 1);
    // Writes, the health view and webhooks need admin; other reads of the API, read.
    const needed = api ? (request.method === "GET" && !path.endsWith("/health") && !/\/hooks(\/|$)/.test(path) ? "read" : "admin") : service === "git-receive-pack" ? "write" : "read";
    // One record per git request and per API write (API reads are not logged).
    const op = api && request.method === "GET" ? null : new Operation(operationName(api, service, path, request.method), {
      repo: name,
      requestId: request.headers.get(REQUEST_ID_HEADER) ?? undefined,
      actor: principal.actor,
      counters: this.repo.counters,
      metrics: this.env.METRICS,
      ended: () => {
        if (--this.running === 0) this.repo.releaseCaches();
      },
    });
    if (op) this.running++;
    try {
      return observed(op, await this.serve(request, { path, version, name, principal, api, service, needed, op }));
    } catch (e) {
      op?.fail(e);
      op?.finish();
      throw e;
    }
  }

  private async serve(request: Request, r: Routed): Promise<Response> {
    const { path, version, name, principal, api, service, needed, op } = r;
    // Git LFS checks access itself: what it needs depends on the request's body.
    if (isLfsPath(path)) return handleLfs({ ...this.lfsContext(name, principal), request, op });
    try {
      checkAccess({ principal, name, exists: this.repo.exists(), visibility: currentSettings(this.repo.sql).visibility, needed, git: !api });
    } catch (e) {
      await discardStream(request.body);
      op?.refuse(describe(e).error);
      return api ? errorResponse(e) : textErrorResponse(e);
    }
    if (api) {
      const response = await handleApi(this.repo, request, principal, op, this.hookSender());
      if (request.method !== "GET" && this.repo.exists()) this.ctx.waitUntil(Promise.all([this.scheduleHousekeeping(), this.report(), this.kickHooks()]));
      return response;
    }
    const forking = forkingFrom(this.repo);
    if (forking) {
      await discardStream(request.body);
      return textErrorResponse(new ApiError(409, `${name} is being forked from ${forking}; try again once GET /api/repos/${name} says "state": "ready"`));
    }
    const mirror = service === "git-receive-pack" && !request.headers.has(IMPORT_HEADER) ? mirrorOf(this.repo) : null;
    if (mirror) {
      await discardStream(request.body);
      return textErrorResponse(new ApiError(403, `${name} is a mirror of ${mirror} and takes no pushes; push there, and its next scheduled fetch brings the change here`));
    }
    if (service === "git-receive-pack" && !path.endsWith("/info/refs")) {
      const response = await receivePack(this.repo, requestBody(request), {
        principal,
        repoName: name,
        declaredBytes: Number(request.headers.get("Content-Length") ?? 0),
        maxBytes: request.headers.has(IMPORT_HEADER) ? settings(this.env).maxImportBytes : undefined,
        register: () => this.register(name, principal),
        op: op!,
      });
      if (this.repo.exists()) this.ctx.waitUntil(this.afterWrite());
      return response;
    }
    if (service === "git-upload-pack" && !this.repo.exists()) return textErrorResponse(new ApiError(404, "repository not found"));
    if (path.endsWith("/info/refs")) return advertise(this.repo, service as Service, version);
    return uploadPack(this.repo, requestBody(request), version, op!);
  }

  /** Git LFS transfer (worker/lfs/transfer.ts): whether `principal` may do `operation` with object `oid` (a download learns its size), or the refusal. */
  async lfsGrant(name: string, principal: Principal, operation: LfsOperation, oid: string): Promise<LfsGrant> {
    return lfsGrant(this.lfsContext(name, principal), operation, oid);
  }

  /** Git LFS transfer: an upload's bytes are in R2 and verified. */
  async lfsUploaded(name: string, principal: Principal, oid: string, size: number): Promise<void> {
    await recordLfsUpload(this.lfsContext(name, principal), oid, size);
  }

  private lfsContext(name: string, principal: Principal) {
    const create = async () => {
      const refusal = await this.register(name, principal);
      if (refusal) throw new ApiError(409, refusal);
      this.repo.create(name);
    };
    return { repo: this.repo, name, principal, bucket: this.env.LFS, create };
  }

  /** Registers the repository a first write creates; the refusal when its name belongs to a deleted repository. */
  private async register(name: string, by: Principal): Promise<string | null> {
    const creation = await registry(this.env).create(name, by);
    return creation.status === "deleted" ? deletedRefusal(name, creation.deletedAt, settings(this.env).retentionMs) : null;
  }

  /** POST /api/repos, once the registry has the name: creates the repository as `spec` says; false when it existed. */
  async setUp(name: string, spec: RepoSpec, by: Principal): Promise<boolean> {
    if (!setUp(this.repo, name, spec, by)) return false;
    await this.report();
    return true;
  }

  /** POST .../forks, once the registry has the name: the new repository, refusing git until the fork job is done. */
  async setUpFork(name: string, spec: RepoSpec, by: Principal, source: string): Promise<boolean> {
    if (!setUpFork(this.repo, name, spec, by, source)) return false;
    await this.report();
    return true;
  }

  /** POST .../import, once the registry has the name: the new repository, its import queued. */
  async setUpImport(spec: RepoSpec, source: ImportSource, mirror: boolean): Promise<boolean> {
    if (!setUpImport(this.repo, spec, source, mirror)) return false;
    await this.report();
    return true;
  }

  /** Scheduled run: a mirror's next fetch, or null when there is none to queue. */
  async queueMirror(): Promise<ImportSource | null> {
    return this.repo.exists() ? queueMirror(this.repo) : null;
  }

  /** Import job: the branches and tags the repository has now, which its push updates. */
  async importRefs(): Promise<{ name: string; oid: string }[]> {
    return [...this.repo.refs.all()].filter(([name]) => /^refs\/(heads|tags)\//.test(name)).map(([name, oid]) => ({ name, oid }));
  }

  /** Import job: it starts, unless there is nothing for it to do. */
  async importBegin(): Promise<boolean> {
    return this.repo.exists() && beginImport(this.repo);
  }

  /** Import job: its state and progress. */
  async importUpdate(change: Partial<ImportState>): Promise<void> {
    updateImport(this.repo, change);
  }

  /** Fork job, source side: what to copy. */
  async forkSnapshot(): Promise<ForkSnapshot> {
    return forkSnapshot(this.repo);
  }

  /** Fork job, source side: bytes of a pack, wherever it is stored. */
  async forkRead(packId: number, start: number, end: number): Promise<Uint8Array> {
    return this.repo.packs.read(packId, start, end);
  }

  /** Fork job, source side: index rows of a pack after `offset`. */
  async forkRows(packId: number, offset: number, count: number): Promise<ObjectLocation[]> {
    return this.repo.store.after(packId, offset, count);
  }

  /** Fork job, source side: Git LFS objects after `afterOid`, by oid. */
  async forkLfs(afterOid: string, count: number): Promise<{ oid: string; size: number }[]> {
    return lfsPage(this.repo.sql, afterOid, count);
  }

  /** Fork job, target side: Git LFS objects whose bytes it has copied into this repository's prefix. */
  async forkLfsCopied(objects: { oid: string; size: number }[], by: Principal): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      for (const o of objects) recordLfsObject(this.repo.sql, o.oid, o.size, by.actor);
    });
  }

  /** Fork job, target side: the steps of lifecycle/fork.ts. */
  async forkReset(): Promise<void> {
    await resetFork(this.repo);
  }

  async forkPackBegin(): Promise<number> {
    return beginForkPack(this.repo);
  }

  async forkPackWrite(id: number, bytes: Uint8Array): Promise<void> {
    writeForkPack(this.repo, id, bytes);
  }

  async forkPackSeal(id: number, objects: number, checksum: string): Promise<void> {
    sealForkPack(this.repo, id, objects, checksum);
  }

  async forkPackIndex(id: number, rows: ObjectLocation[]): Promise<void> {
    indexForkPack(this.repo, id, rows);
  }

  async forkFinish(snapshot: Pick<ForkSnapshot, "refs" | "head">, by: Principal): Promise<void> {
    finishFork(this.repo, snapshot, by);
    await this.afterWrite();
  }

  /** Deletion and undeletion, as the registry recorded them: a deleted repository answers 404 to everything. */
  async setDeleted(deleted: boolean, by: Principal): Promise<void> {
    if (!this.repo.created()) return;
    const event = this.repo.transaction(() => changeSettings(this.repo.sql, { deleted }, by));
    if (!deleted) await this.report();
    if (event) await this.kickHooks();
  }

  /**
   * Purges the deleted repository: its R2 objects, then every row and the alarm. The object then
   * starts afresh (the migrations run again), as an empty one would, should the name be pushed to again.
   */
  async purge(): Promise<{ archived: number; lfs: number }> {
    const name = this.repo.name();
    const prefixes = repoPrefixes(name);
    const archived = name ? await deletePrefix(this.env.ARCHIVE, prefixes.archive) : 0;
    const lfs = name ? await deletePrefix(this.env.LFS, prefixes.lfs) : 0;
    await this.ctx.blockConcurrencyWhile(async () => {
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      await this.start();
    });
    return { archived, lfs };
  }

  /** Hooks queue: the next delivery of a hook, under its lease. */
  async hookNext(hookId: string): Promise<NextDelivery> {
    return nextDelivery(this.repo, hookId, settings(this.env).outbound.retryBaseMs);
  }

  /** Hooks queue: how an attempt went; the number of attempts so far. */
  async hookDone(item: OutboxItem, attempt: Attempt, redelivered: boolean): Promise<number> {
    return deliveryDone(this.repo, item, attempt, redelivered);
  }

  async hookRedelivery(hookId: string, deliveryId: string): Promise<PreparedDelivery | null> {
    return redelivery(this.repo, hookId, deliveryId);
  }

  async activeHookIds(): Promise<string[]> {
    return listHooks(this.repo.sql).filter((h) => h.active).map((h) => h.id);
  }

  private hookSender(): HookSender {
    return {
      redeliver: async (hook, delivery) => {
        await this.env.HOOK_QUEUE.send({ repo: this.repo.name(), hook, delivery } satisfies HookMessage);
      },
    };
  }

  /** Queues a delivery run for every active hook; a crash before this is healed by the scheduled job. */
  private async kickHooks(): Promise<void> {
    const ids = await this.activeHookIds();
    const repo = this.repo.name();
    if (ids.length > 0) await this.env.HOOK_QUEUE.sendBatch(ids.map((hook) => ({ body: { repo, hook } satisfies HookMessage })));
  }

  /** Archive job: claims the packs to move to R2 now. */
  async claimArchive(): Promise<ArchiveTask[]> {
    if (!this.repo.exists()) return [];
    return claimArchive(this.repo, settings(this.env).archive, Date.now());
  }

  async readPack(packId: number, start: number, end: number): Promise<Uint8Array> {
    return readClaimedPack(this.repo, packId, start, end);
  }

  async recordUpload(packId: number, uploadId: string | null): Promise<void> {
    recordUpload(this.repo, packId, uploadId);
  }

  async commitArchive(packId: number, key: string, bytes: number): Promise<boolean> {
    return commitArchive(this.repo, packId, key, bytes);
  }

  async releaseClaim(packId: number): Promise<void> {
    releaseClaim(this.repo, packId);
  }

  /** Archive job failed: recorded for GET storage (the queue retries it, then gives it to the dead-letter queue). */
  async archiveFailed(error: string): Promise<void> {
    if (this.repo.exists()) recordFailure(this.repo.sql, "archive", error, this.repo.refs.lastSeq());
  }

  /** Archive job done: clears the pending trigger and tells the registry the new figures. */
  async archiveFinished(packs = 0, bytes = 0): Promise<void> {
    if (!this.repo.exists()) return;
    archiveFinished(this.repo, packs, bytes);
    await this.report();
  }

  /**
   * Housekeeping, whatever part of it is due: the commit graph brought up to date with the refs,
   * a repack when full clones would walk history, and packs retired long enough ago dropped.
   */
  async alarm(): Promise<void> {
    if (!this.repo.exists()) return;
    const now = Date.now();
    if (graphBehind(this.repo)) {
      const op = new Operation("commit-graph", { repo: this.repo.name(), actor: "housekeeping", counters: this.repo.counters, metrics: this.env.METRICS });
      op.objectsOut = await buildCommitGraph(this.repo);
      op.finish();
    }
    // Without a due time (an alarm set before due times were kept), a repack runs when one is waiting.
    const due = metaGet(this.repo.sql, "repack_due_at");
    const repackDue = due !== undefined ? Number(due) : wholeReuseAllowed(this.repo.sql) ? null : now;
    if (repackDue !== null && repackDue <= now) {
      metaDelete(this.repo.sql, "repack_due_at");
      const op = new Operation("housekeeping", { repo: this.repo.name(), actor: "housekeeping", counters: this.repo.counters, metrics: this.env.METRICS });
      await repack(this.repo, op);
      op.finish();
    }
    const retired = await dropRetired(this.repo, Date.now());
    await this.alarmBy([repackDue !== null && repackDue > now ? repackDue : null, retired ? Date.now() + RETIRED_GRACE_MS : null]);
  }

  /** Sets the alarm for the earliest of `times` (nulls ignored), unless it is set sooner already. */
  private async alarmBy(times: (number | null)[]): Promise<void> {
    const due = times.filter((t): t is number => t !== null);
    if (due.length === 0) return;
    const at = Math.min(...due);
    const set = await this.ctx.storage.getAlarm();
    if (set === null || at < set) await this.ctx.storage.setAlarm(at);
  }

  /**
   * Schedules housekeeping after a write: the commit graph soon when a ref changed since it was last
   * brought up to date (a burst of pushes is walked once), a repack HOUSEKEEPING_DELAY_MS after the first write that calls for one.
   */
  private async scheduleHousekeeping(): Promise<void> {
    const now = Date.now();
    let repackDue: number | null = null;
    if (!wholeReuseAllowed(this.repo.sql) || (await dropRetired(this.repo, now))) {
      metaInit(this.repo.sql, "repack_due_at", String(now + HOUSEKEEPING_DELAY_MS));
      repackDue = Number(metaGet(this.repo.sql, "repack_due_at"));
    }
    const graphDue = graphBehind(this.repo) ? now + GRAPH_DELAY_MS : null;
    await this.alarmBy([repackDue, graphDue]);
  }

  /** After a push: report to the registry, schedule housekeeping, and queue an archive job once hot bytes pass the high watermark. */
  private async afterWrite(): Promise<void> {
    await this.scheduleHousekeeping();
    await this.report();
    await this.kickHooks();
    if (takeArchiveTrigger(this.repo, settings(this.env).archive, Date.now())) {
      await this.env.ARCHIVE_QUEUE.send({ repo: this.repo.name() } satisfies ArchiveMessage);
    }
  }

  private async report(): Promise<void> {
    const { visibility, description } = currentSettings(this.repo.sql);
    await registry(this.env).report(this.repo.name(), {
      hotBytes: hotBytes(this.repo),
      archivedBytes: archivedBytes(this.repo),
      coldestAccessAt: coldestAccess(this.repo),
      visibility,
      description,
      defaultBranch: this.repo.refs.head().replace(/^refs\/heads\//, ""),
      lastPushAt: lastPush(this.repo.sql)?.at ?? null,
      hooks: activeHooks(this.repo.sql),
      mirrorUrl: mirrorOf(this.repo),
    });
  }
}
