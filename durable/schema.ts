// Drizzle schema of a repository Durable Object: the ref event log and its projection, pushes,
// the DOFS chunk table, the pack catalogue, the object index, the access settings log, and Git LFS's
// object catalogue, locks and lock log; and of the registry Durable Object: storage figures, tokens
// and failed authentications.
import { blob, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Append-only log of every ref change; the source of truth for refs (triggers forbid UPDATE and DELETE). */
export const refEvents = sqliteTable(
  "ref_events",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    pushId: text("push_id").notNull(),
    ref: text("ref").notNull(),
    oldOid: text("old_oid").notNull(),
    newOid: text("new_oid").notNull(),
    /** create | update | delete | force | restore */
    kind: text("kind").notNull(),
    /** The token's name ("admin" for ADMIN_TOKEN, "anonymous" in open mode). */
    actor: text("actor").notNull(),
    /** The token's id; null for the admin, anonymous callers and events written before tokens existed. */
    actorId: text("actor_id"),
    /** Milliseconds since the epoch. */
    at: integer("at").notNull(),
    /** SHA-256 (hex) of the previous event's canonical form; 64 zeros for the first event. */
    prevHash: text("prev_hash").notNull(),
  },
  // ref_events_push: GET /api/repos/{owner}/{repo}/pushes/{pushId} finds a push's events without a scan.
  (t) => [index("ref_events_ref_seq").on(t.ref, t.seq), index("ref_events_at").on(t.at), index("ref_events_push").on(t.pushId)],
);

/** Current refs: a projection of ref_events, written in the same transaction. */
export const refs = sqliteTable("refs", {
  name: text("name").primaryKey(),
  oid: text("oid").notNull(),
  /** seq of the event that set this value. */
  seq: integer("seq").notNull(),
});

/** Small repository-wide settings: the HEAD symref, the repository's creation time, counters. */
export const meta = sqliteTable("meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/** One row per push that reached the ref-update step (accepted or not). */
export const pushes = sqliteTable("pushes", {
  id: text("id").primaryKey(),
  actor: text("actor").notNull(),
  at: integer("at").notNull(),
  packId: integer("pack_id"),
  /** JSON array of the push options the client sent. */
  options: text("options").notNull(),
});

/** DOFS: a file's metadata. Contents live in `chunks`. */
export const files = sqliteTable("files", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  path: text("path").notNull().unique(),
  size: integer("size").notNull(),
  mtime: integer("mtime").notNull(),
  /** Bytes per chunk: files written before chunks were 64 KiB keep their 512 KiB ones. */
  chunkSize: integer("chunk_size").notNull().default(524288),
});

/** DOFS: file contents as ordered chunks of their file's chunk size (at most 512 KiB). */
export const chunks = sqliteTable(
  "chunks",
  {
    fileId: integer("file_id").notNull(),
    idx: integer("idx").notNull(),
    data: blob("data", { mode: "buffer" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.idx] })],
);

/** The pack catalogue. */
export const packs = sqliteTable("packs", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** DOFS path of the pack while it is hot. */
  path: text("path").notNull(),
  bytes: integer("bytes").notNull(),
  objects: integer("objects").notNull(),
  /** hot | archived */
  tier: text("tier").notNull(),
  r2Key: text("r2_key"),
  /** incoming | live | archiving | retired (replaced by a repack, dropped after a grace period) */
  state: text("state").notNull(),
  /** Hex SHA-1 trailer of the pack. */
  checksum: text("checksum"),
  createdAt: integer("created_at").notNull(),
  lastAccessAt: integer("last_access_at").notNull(),
  /** When an archive job claimed the pack (state archiving); a claim older than the lease may be retaken. */
  archivingSince: integer("archiving_since"),
  /** The R2 multipart upload under way for this pack, aborted if a later job finds it unfinished. */
  uploadId: text("upload_id"),
  /** When a repack replaced the pack (state retired). */
  retiredAt: integer("retired_at"),
});

/** The object index: where each object's entry sits, so any lookup is one indexed query. */
export const objects = sqliteTable(
  "objects",
  {
    oid: text("oid").notNull(),
    packId: integer("pack_id").notNull(),
    /** Byte offset of the entry's header in the pack. */
    offset: integer("offset").notNull(),
    /** Byte offset just past the entry's compressed data. */
    end: integer("end").notNull(),
    /** Object type after delta resolution: 1 commit, 2 tree, 3 blob, 4 tag. */
    type: integer("type").notNull(),
    /** Inflated size of the whole object. */
    size: integer("size").notNull(),
    /** Base object when the entry is stored as a delta; null for a whole object. */
    baseOid: text("base_oid"),
  },
  // An object may sit in several packs (a push can resend what the store has); readers pick a live one.
  (t) => [primaryKey({ columns: [t.oid, t.packId] }), index("objects_pack_offset").on(t.packId, t.offset)],
);

/**
 * The commit graph: what history walks ask of each commit without reading it, a projection of the
 * stored commits reachable from the refs, written by housekeeping (graph/build.ts). Rows are facts
 * about a content-addressed commit, so no ref change ever makes one wrong.
 */
export const commitGraph = sqliteTable("commit_graph", {
  oid: text("oid").primaryKey(),
  tree: text("tree").notNull(),
  /** Parent ids in order, space-separated ("" for a root commit). */
  parents: text("parents").notNull(),
  /** Committer time, seconds since the epoch. */
  time: integer("time").notNull(),
  /** 1 for a root commit, else one more than the highest parent's (a parent beyond a shallow boundary counts 0). */
  generation: integer("generation").notNull(),
  /** Bloom filter of the paths changed against the first parent (graph/bloom.ts); null past its cap. */
  bloom: blob("bloom", { mode: "buffer" }),
});

/**
 * What each annotated tag the refs have named finally points to, so that advertising a thousand tags
 * reads a thousand rows rather than a thousand tag objects (store/peeled-tags.ts). Tags are
 * content-addressed, so a row never goes stale.
 */
export const peeledTags = sqliteTable("peeled_tags", {
  oid: text("oid").primaryKey(),
  target: text("target").notNull(),
});

/** Append-only log of the repository's access settings (triggers forbid UPDATE and DELETE); the last value of each column is current. */
export const settingsEvents = sqliteTable("settings_events", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  actor: text("actor").notNull(),
  actorId: text("actor_id"),
  at: integer("at").notNull(),
  /** public | private, when this event changed it. */
  visibility: text("visibility"),
  /** JSON array of protection rules, when this event changed them. */
  protection: text("protection"),
  /** The repository's one-line description, when this event changed it. */
  description: text("description"),
  /** 1 when this event deleted the repository (it answers 404 until undeleted or purged), 0 when it undeleted it. */
  deleted: integer("deleted"),
});

/** Git LFS objects the repository holds (their bytes are in the LFS R2 bucket): one row per oid, written once its upload is verified. */
export const lfsObjects = sqliteTable("lfs_objects", {
  /** SHA-256 of the object's bytes, hex. */
  oid: text("oid").primaryKey(),
  size: integer("size").notNull(),
  /** Who uploaded it, and when (milliseconds since the epoch). */
  actor: text("actor").notNull(),
  at: integer("at").notNull(),
});

/** Append-only log of Git LFS lock and unlock events (triggers forbid UPDATE and DELETE); the source of truth for locks. */
export const lfsLockEvents = sqliteTable("lfs_lock_events", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  /** lock | unlock | force-unlock */
  kind: text("kind").notNull(),
  /** The lock's id: the seq of the event that created it. */
  lockId: integer("lock_id").notNull(),
  path: text("path").notNull(),
  /** The lock's owner (a token's name), and for unlocks who removed it. */
  owner: text("owner").notNull(),
  actor: text("actor").notNull(),
  actorId: text("actor_id"),
  at: integer("at").notNull(),
});

/** Current Git LFS locks: a projection of lfs_lock_events, written in the same transaction. */
export const lfsLocks = sqliteTable("lfs_locks", {
  /** The seq of the lock event. */
  id: integer("id").primaryKey(),
  path: text("path").notNull().unique(),
  /** The ref the client named when locking, if any. */
  ref: text("ref"),
  owner: text("owner").notNull(),
  /** The owner's token id; null for the admin and anonymous callers, whose name identifies them. */
  ownerId: text("owner_id"),
  lockedAt: integer("locked_at").notNull(),
});

/** Registry Durable Object only: access tokens. The secret is never stored, only a salted SHA-256 of it. */
export const tokens = sqliteTable("tokens", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** JSON array of repository patterns: owner/name, owner/* or *. */
  repos: text("repos").notNull(),
  /** JSON array of scopes: read, write, admin. */
  scopes: text("scopes").notNull(),
  salt: text("salt").notNull(),
  hash: text("hash").notNull(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at"),
  lastUsedAt: integer("last_used_at"),
  /** Who minted it: "admin" or the minting token's id. */
  createdBy: text("created_by").notNull(),
});

/** Registry Durable Object only: failed authentications per client address, in a fixed window. */
export const authFailures = sqliteTable("auth_failures", {
  client: text("client").primaryKey(),
  failures: integer("failures").notNull(),
  windowStart: integer("window_start").notNull(),
});

/** Registry Durable Object only: every repository's storage figures, as each reports them. */
export const registryRepos = sqliteTable(
  "registry_repos",
  {
    name: text("name").primaryKey(),
    hotBytes: integer("hot_bytes").notNull(),
    archivedBytes: integer("archived_bytes").notNull(),
    /** last_access_at of the least recently read hot pack; null when none is hot. */
    coldestAccessAt: integer("coldest_access_at"),
    reportedAt: integer("reported_at").notNull(),
    /** What GET /api/repos lists, as the repository last reported it. */
    visibility: text("visibility").notNull().default("private"),
    description: text("description").notNull().default(""),
    defaultBranch: text("default_branch").notNull().default("main"),
    lastPushAt: integer("last_push_at"),
    /** Active webhooks: the scheduled job resumes the deliveries of repositories that have any. */
    hooks: integer("hooks").notNull().default(0),
    /** The remote a mirror follows: the scheduled job fetches it again. Null for any other repository. */
    mirrorUrl: text("mirror_url"),
    /** When it was deleted; null while it exists. A deleted repository may be undeleted until it is purged. */
    deletedAt: integer("deleted_at"),
  },
  (t) => [index("registry_repos_hot").on(t.hotBytes), index("registry_repos_coldest").on(t.coldestAccessAt), index("registry_repos_deleted").on(t.deletedAt), index("registry_repos_mirror").on(t.mirrorUrl)],
);

/** Registry Durable Object only: append-only log of repositories created, deleted, undeleted and purged (triggers forbid UPDATE and DELETE). */
export const registryEvents = sqliteTable(
  "registry_events",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    /** created | deleted | undeleted | purged */
    kind: text("kind").notNull(),
    repo: text("repo").notNull(),
    actor: text("actor").notNull(),
    actorId: text("actor_id"),
    at: integer("at").notNull(),
  },
  (t) => [index("registry_events_repo").on(t.repo, t.seq)],
);

/** Webhooks of the repository. Each keeps its place in the ref log and the settings log: the events after it are its outbox. */
export const hooks = sqliteTable("hooks", {
  id: text("id").primaryKey(),
  url: text("url").notNull(),
  /** The HMAC key of X-Hub-Signature-256; never shown by the API. */
  secret: text("secret").notNull(),
  /** JSON array of push, restore, repository. */
  events: text("events").notNull(),
  active: integer("active").notNull(),
  actor: text("actor").notNull(),
  createdAt: integer("created_at").notNull(),
  /** seq of the last ref event delivered or passed over. */
  refCursor: integer("ref_cursor").notNull(),
  /** seq of the last settings event delivered or passed over. */
  settingsCursor: integer("settings_cursor").notNull(),
  /** A delivery is under way until then: one sender at a time keeps the events in order. */
  leaseUntil: integer("lease_until"),
});

/** Delivery attempts of webhooks: one row per event sent to a hook, updated by each attempt. */
export const hookDeliveries = sqliteTable(
  "hook_deliveries",
  {
    /** Stable across retries and redeliveries: the receiver drops duplicates by it. */
    id: text("id").primaryKey(),
    hookId: text("hook_id").notNull(),
    /** push | restore | repository */
    event: text("event").notNull(),
    /** ref or settings: the log the event comes from, and its seq range there. */
    log: text("log").notNull(),
    firstSeq: integer("first_seq").notNull(),
    lastSeq: integer("last_seq").notNull(),
    /** pending (failed so far, being retried) | delivered */
    status: text("status").notNull(),
    attempts: integer("attempts").notNull(),
    responseCode: integer("response_code"),
    durationMs: integer("duration_ms"),
    error: text("error"),
    firstAttemptAt: integer("first_attempt_at").notNull(),
    lastAttemptAt: integer("last_attempt_at").notNull(),
  },
  (t) => [index("hook_deliveries_hook").on(t.hookId, t.firstAttemptAt)],
);
