// The scheduled job's part in deleted repositories: each one deleted longer than REPO_RETENTION_DAYS
// ago is purged (its R2 objects and its Durable Object's storage, then the registry forgets it and
// logs the purge); each one deleted more recently is told so again, in case the request that deleted
// it ended between the registry and the repository. Every step can be repeated, so a run cut short is
// finished by the next one.
import { ANONYMOUS_ADMIN } from "../../durable/access/principal";
import { Operation } from "../../durable/observe/operation";
import { registry } from "../../durable/registry/registry-object";
import { log } from "../../durable/observe/log";
import type { Env } from "../env";
import { settings } from "../settings";

export async function purgeDeleted(env: Env, now = Date.now()): Promise<string[]> {
  const op = new Operation("purge", { repo: "", actor: "cron", metrics: env.METRICS });
  const purged: string[] = [];
  try {
    const retention = settings(env).retentionMs;
    for (const { name, deletedAt } of await registry(env).deleted()) {
      const repo = env.REPO.get(env.REPO.idFromName(name));
      if (deletedAt + retention > now) {
        await repo.setDeleted(true, { ...ANONYMOUS_ADMIN, actor: "retention" });
        continue;
      }
      const removed = await repo.purge();
      await registry(env).purged(name);
      log("info", "repository purged", { repo: name, archivedObjects: removed.archived, lfsObjects: removed.lfs });
      purged.push(name);
    }
    op.objectsOut = purged.length;
  } catch (e) {
    op.fail(e);
  } finally {
    op.finish();
  }
  return purged;
}
