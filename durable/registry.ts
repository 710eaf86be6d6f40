// The registry Durable Object: one instance that knows every repository's storage figures, so the
// scheduled job can find the ones above the high watermark or holding packs nobody has read lately.
import { DurableObject } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import migrations from "../migrations/migrations.js";
import type { Env } from "../worker/env";

export interface RepoFigures {
  hotBytes: number;
  archivedBytes: number;
  coldestAccessAt: number | null;
}

export class RegistryObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(() => migrate(drizzle(ctx.storage), migrations));
  }

  async report(name: string, figures: RepoFigures): Promise<void> {
    this.ctx.storage.sql.exec(
      `INSERT INTO registry_repos (name, hot_bytes, archived_bytes, coldest_access_at, reported_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET hot_bytes = excluded.hot_bytes, archived_bytes = excluded.archived_bytes,
         coldest_access_at = excluded.coldest_access_at, reported_at = excluded.reported_at`,
      name, figures.hotBytes, figures.archivedBytes, figures.coldestAccessAt, Date.now(),
    );
  }

  /** Repositories with more hot bytes than `overBytes`, or a hot pack last read before `coldBefore`. */
  async candidates(overBytes: number, coldBefore: number): Promise<string[]> {
    return this.ctx.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM registry_repos WHERE hot_bytes > ? UNION SELECT name FROM registry_repos WHERE coldest_access_at < ? ORDER BY name",
        overBytes,
        coldBefore,
      )
      .toArray()
      .map((r) => r.name);
  }
}
