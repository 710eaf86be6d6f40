// The Worker's bindings and settings, as wrangler.toml declares them.
import type { ArchiveMessage, RepoObject } from "../durable/repo";
import type { RegistryObject } from "../durable/registry";

export interface Env {
  REPO: DurableObjectNamespace<RepoObject>;
  REGISTRY: DurableObjectNamespace<RegistryObject>;
  ARCHIVE: R2Bucket;
  ARCHIVE_QUEUE: Queue<ArchiveMessage>;
  DENY_NON_FAST_FORWARD: string;
  MAX_PUSH_BYTES: string;
  STORAGE_LIMIT_BYTES: string;
  ARCHIVE_HIGH_WATERMARK: string;
  ARCHIVE_LOW_WATERMARK: string;
  ARCHIVE_COLD_AFTER_DAYS: string;
}
