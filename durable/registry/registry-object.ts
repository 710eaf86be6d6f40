// The registry Durable Object: the one instance that knows what spans repositories. It keeps which
// repositories exist or were deleted, what each last reported of itself (for listings and the
// scheduled jobs), the log of repositories created, deleted, undeleted and purged, the access tokens,
// and the failed authentications per client address. Each table has its module in this folder.
import { DurableObject } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import migrations from "../../migrations/migrations.js";
import type { Env } from "../../worker/env";
import { blockedFor, recordFailure, type FailureLimit } from "./failures";
import { repoEventPage, type Actor, type RepoEvent } from "./repo-events";
import {
  archiveCandidates,
  createRepo,
  deletedRepos,
  deleteRepo,
  findRepo,
  listRepos,
  recordPurged,
  repoExists,
  reportSummary,
  reposWithHooks,
  mirrorRepos,
  undeleteRepo,
  type Creation,
  type RepoEntry,
  type RepoSummary,
} from "./repos";
import { checkToken, findToken, listTokens, mintToken, revokeToken, type NewToken, type TokenInfo } from "./tokens";

export type { Actor, Creation, RepoEntry, RepoEvent, RepoSummary };

/** What an authentication attempt came to. */
export type Authentication = { status: "ok"; token: TokenInfo | null } | { status: "invalid" } | { status: "limited"; retryAfterMs: number };

export class RegistryObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(() => migrate(drizzle(ctx.storage), migrations));
  }

  async report(name: string, summary: RepoSummary): Promise<void> {
    reportSummary(this.ctx.storage.sql, name, summary, Date.now());
  }

  /** A new repository, by POST /api/repos or its first push; in one transaction with its event. */
  async create(name: string, by: Actor): Promise<Creation> {
    return this.ctx.storage.transactionSync(() => createRepo(this.ctx.storage.sql, name, by, Date.now()));
  }

  async exists(name: string): Promise<boolean> {
    return repoExists(this.ctx.storage.sql, name);
  }

  async find(name: string): Promise<RepoEntry | null> {
    return findRepo(this.ctx.storage.sql, name);
  }

  async list(q: { owner?: string; after?: string; limit: number; deleted: boolean }): Promise<RepoEntry[]> {
    return listRepos(this.ctx.storage.sql, q);
  }

  async delete(name: string, by: Actor): Promise<boolean> {
    return this.ctx.storage.transactionSync(() => deleteRepo(this.ctx.storage.sql, name, by, Date.now()));
  }

  async undelete(name: string, by: Actor): Promise<boolean> {
    return this.ctx.storage.transactionSync(() => undeleteRepo(this.ctx.storage.sql, name, by, Date.now()));
  }

  async deleted(): Promise<{ name: string; deletedAt: number }[]> {
    return deletedRepos(this.ctx.storage.sql);
  }

  async purged(name: string): Promise<boolean> {
    return this.ctx.storage.transactionSync(() => recordPurged(this.ctx.storage.sql, name, Date.now()));
  }

  async mirrors(): Promise<string[]> {
    return mirrorRepos(this.ctx.storage.sql);
  }

  async withHooks(): Promise<string[]> {
    return reposWithHooks(this.ctx.storage.sql);
  }

  async events(order: "asc" | "desc", after: number | undefined, limit: number, repo?: string): Promise<RepoEvent[]> {
    return repoEventPage(this.ctx.storage.sql, order, after, limit, repo);
  }

  async candidates(overBytes: number, coldBefore: number): Promise<string[]> {
    return archiveCandidates(this.ctx.storage.sql, overBytes, coldBefore);
  }

  /**
   * Checks a presented secret from `client`: `isAdmin` when the Worker found it equal to ADMIN_TOKEN
   * (the answer is then ok, unless the client is over its failure limit), else it must be a token.
   * Every failure counts against the client.
   */
  async authenticate(presented: string, isAdmin: boolean, client: string, rule: FailureLimit): Promise<Authentication> {
    const sql = this.ctx.storage.sql;
    const now = Date.now();
    const wait = blockedFor(sql, client, rule, now);
    if (wait > 0) return { status: "limited", retryAfterMs: wait };
    if (isAdmin) return { status: "ok", token: null };
    const token = await checkToken(sql, presented, now);
    if (token) return { status: "ok", token };
    recordFailure(sql, client, rule, now);
    return { status: "invalid" };
  }

  async mintToken(spec: NewToken): Promise<TokenInfo & { token: string }> {
    return mintToken(this.ctx.storage.sql, spec, Date.now());
  }

  async listTokens(): Promise<TokenInfo[]> {
    return listTokens(this.ctx.storage.sql);
  }

  async findToken(id: string): Promise<TokenInfo | null> {
    return findToken(this.ctx.storage.sql, id);
  }

  async revokeToken(id: string): Promise<boolean> {
    return revokeToken(this.ctx.storage.sql, id);
  }
}

/** The one registry object. */
export function registry(env: Env): DurableObjectStub<RegistryObject> {
  return env.REGISTRY.get(env.REGISTRY.idFromName("registry"));
}
