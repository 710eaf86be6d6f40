// The Worker's bindings, as wrangler.toml declares them, and its vars (read only by settings.ts).
import type { ArchiveMessage, ForkMessage, HookMessage, ImportMessage, RepoObject } from "../durable/repo-object";
import type { RegistryObject } from "../durable/registry/registry-object";
import type { Vars } from "./settings";

export interface Env extends Vars {
  REPO: DurableObjectNamespace<RepoObject>;
  REGISTRY: DurableObjectNamespace<RegistryObject>;
  ARCHIVE: R2Bucket;
  /** Git LFS objects (worker/lfs/transfer.ts writes and reads them; durable/lfs/ keeps their catalogue). */
  LFS: R2Bucket;
  ARCHIVE_QUEUE: Queue<ArchiveMessage>;
  /** Webhook deliveries (worker/hooks/consumer.ts sends them; durable/hooks/ keeps hooks and their places in the logs). */
  HOOK_QUEUE: Queue<HookMessage>;
  /** Fork jobs (worker/repos/fork-job.ts). */
  FORK_QUEUE: Queue<ForkMessage>;
  /** Import jobs (worker/imports/import-job.ts). */
  IMPORT_QUEUE: Queue<ImportMessage>;
  /** Workers Analytics Engine: one data point per operation. Absent in tests. */
  METRICS?: AnalyticsEngineDataset;
}
