// The Worker's entry point: HTTP routes, the archive, hooks, fork and import Queues' consumers, the
// scheduled jobs (the archive scan, purging deleted repositories, resuming webhook deliveries, the
// next fetch of mirrors), and
// the Durable Object classes wrangler binds.
import type { ArchiveMessage, ForkMessage, HookMessage, ImportMessage } from "../durable/repo-object";
import { consumeArchiveBatch } from "./archive/consumer";
import { scheduledScan } from "./archive/scan";
import { consumeHookBatch } from "./hooks/consumer";
import { resumeDeliveries } from "./hooks/resume";
import { consumeForkBatch } from "./repos/fork-job";
import { consumeImportBatch } from "./imports/import-job";
import { refreshMirrors } from "./imports/mirrors";
import { purgeDeleted } from "./repos/purge";
import type { Env } from "./env";
import { router } from "./router";

export { RepoObject } from "../durable/repo-object";
export { RegistryObject } from "../durable/registry/registry-object";

/** The queues' names in wrangler.toml; every other batch is the archive queue's. */
const HOOK_QUEUE = "git-hooks";
const FORK_QUEUE = "git-forks";
const IMPORT_QUEUE = "git-imports";

export default {
  fetch: (request, env, ctx) => router.fetch(request, env, ctx),
  queue: (batch, env) =>
    batch.queue === HOOK_QUEUE
      ? consumeHookBatch(batch as MessageBatch<HookMessage>, env)
      : batch.queue === FORK_QUEUE
        ? consumeForkBatch(batch as MessageBatch<ForkMessage>, env)
        : batch.queue === IMPORT_QUEUE
          ? consumeImportBatch(batch as MessageBatch<ImportMessage>, env)
          : consumeArchiveBatch(batch as MessageBatch<ArchiveMessage>, env),
  scheduled: async (_controller, env, ctx) => {
    ctx.waitUntil(Promise.all([scheduledScan(env), purgeDeleted(env), resumeDeliveries(env), refreshMirrors(env)]));
  },
} satisfies ExportedHandler<Env, ArchiveMessage | HookMessage | ForkMessage | ImportMessage>;
