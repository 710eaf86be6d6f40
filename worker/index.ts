// The Worker's entry point: HTTP routes, the archive and hooks Queues' consumers, the scheduled jobs
// (the archive scan, purging deleted repositories, resuming webhook deliveries), and the Durable
// Object classes wrangler binds.
import type { ArchiveMessage, HookMessage } from "../durable/repo-object";
import { consumeArchiveBatch } from "./archive/consumer";
import { scheduledScan } from "./archive/scan";
import { consumeHookBatch } from "./hooks/consumer";
import { resumeDeliveries } from "./hooks/resume";
import { purgeDeleted } from "./repos/purge";
import type { Env } from "./env";
import { router } from "./router";

export { RepoObject } from "../durable/repo-object";
export { RegistryObject } from "../durable/registry/registry-object";

/** The hooks queue's name in wrangler.toml; every other batch is the archive queue's. */
const HOOK_QUEUE = "git-hooks";

export default {
  fetch: (request, env, ctx) => router.fetch(request, env, ctx),
  queue: (batch, env) =>
    batch.queue === HOOK_QUEUE ? consumeHookBatch(batch as MessageBatch<HookMessage>, env) : consumeArchiveBatch(batch as MessageBatch<ArchiveMessage>, env),
  scheduled: async (_controller, env, ctx) => {
    ctx.waitUntil(Promise.all([scheduledScan(env), purgeDeleted(env), resumeDeliveries(env)]));
  },
} satisfies ExportedHandler<Env, ArchiveMessage | HookMessage>;
