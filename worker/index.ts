// The Worker's entry point: HTTP routes, the archive Queue's consumer, the scheduled archive scan,
// and the Durable Object classes wrangler binds.
import type { ArchiveMessage } from "../durable/repo-object";
import { consumeArchiveBatch } from "./archive/consumer";
import { scheduledScan } from "./archive/scan";
import type { Env } from "./env";
import { router } from "./router";

export { RepoObject } from "../durable/repo-object";
export { RegistryObject } from "../durable/registry/registry-object";

export default {
  fetch: (request, env, ctx) => router.fetch(request, env, ctx),
  queue: (batch, env) => consumeArchiveBatch(batch as MessageBatch<ArchiveMessage>, env),
  scheduled: async (_controller, env, ctx) => {
    ctx.waitUntil(scheduledScan(env));
  },
} satisfies ExportedHandler<Env, ArchiveMessage>;
