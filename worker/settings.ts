// Every setting of the deployment, parsed once from the [vars] of wrangler.toml (or --var): the only
// place that reads a var and the only place that holds a default. Everything else receives Settings.
import { LOG_LEVELS, setLogLevel, type LogLevel } from "../durable/observe/log";

export interface ArchiveSettings {
  /** Storage budget of one repository, in bytes (STORAGE_LIMIT_BYTES). */
  limitBytes: number;
  /** Fraction of the limit above which a repository is queued for archival (ARCHIVE_HIGH_WATERMARK). */
  highWatermark: number;
  /** Fraction of the limit that archival brings hot bytes under (ARCHIVE_LOW_WATERMARK). */
  lowWatermark: number;
  /** Packs not read for this long are archived by the scheduled job (ARCHIVE_COLD_AFTER_DAYS). */
  coldAfterMs: number;
}

export interface AuthSettings {
  /** token: every write and every private read needs a token; open: anyone may read and write (AUTH_MODE). */
  mode: "token" | "open";
  /** The secret that may do anything (ADMIN_TOKEN); null when unset, and then every write is refused in token mode. */
  adminToken: string | null;
  /** Failed authentications one client address may make per window before it gets 429 (AUTH_FAILURE_LIMIT). */
  failureLimit: number;
  /** The length of that window (AUTH_FAILURE_WINDOW_SECONDS). */
  failureWindowMs: number;
}

export interface BodyLimits {
  /** The command list and push options of one push, in bytes (MAX_COMMAND_BYTES). */
  commandBytes: number;
  /** One upload-pack request: wants, haves, shallow lines, filters (MAX_UPLOAD_REQUEST_BYTES). */
  uploadRequestBytes: number;
  /** One JSON body of the API (MAX_API_BODY_BYTES). */
  apiBodyBytes: number;
}

/** Sizes of single objects. */
export interface ObjectLimits {
  /** Objects above this are never held whole: streamed, with scratch files for delta bases (BIG_OBJECT_BYTES). */
  bigBytes: number;
  /** The largest object a push may hold (MAX_OBJECT_BYTES). */
  maxBytes: number;
  /** The largest Git LFS object an upload may hold (MAX_LFS_OBJECT_BYTES). */
  maxLfsBytes: number;
}

/** Outbound requests of the server: webhook deliveries (and imports). */
export interface OutboundSettings {
  /** Whether URLs on loopback, private or link-local addresses are allowed: in open mode, or with ALLOW_PRIVATE_URLS=true. */
  allowPrivateUrls: boolean;
  /** The first retry of a failed delivery waits this long, each next one twice as long (WEBHOOK_RETRY_SECONDS). */
  retryBaseMs: number;
}

export interface Settings {
  /** Ref patterns where non-fast-forward pushes are refused (DENY_NON_FAST_FORWARD). */
  denyNonFastForward: string[];
  /** Largest accepted push body, in bytes (MAX_PUSH_BYTES). */
  maxPushBytes: number;
  /** Largest pack an import may fetch, in bytes (MAX_IMPORT_BYTES); MAX_PUSH_BYTES does not apply to imports. */
  maxImportBytes: number;
  /** Whether git's error-level object problems refuse a push (OBJECT_CHECKS=refuse) or are only reported (warn); structural ones always refuse. */
  objectErrorsRefuse: boolean;
  objects: ObjectLimits;
  limits: BodyLimits;
  archive: ArchiveSettings;
  auth: AuthSettings;
  /** A deleted repository can be undeleted for this long, then the scheduled job purges it (REPO_RETENTION_DAYS). */
  retentionMs: number;
  outbound: OutboundSettings;
  /** The least severe log lines written (LOG_LEVEL: debug, info, warn or error). */
  logLevel: LogLevel;
}

/** The vars as wrangler passes them: strings, any of which may be missing. */
export type Vars = Partial<Record<VarName, string>>;

type VarName =
  | "DENY_NON_FAST_FORWARD"
  | "MAX_PUSH_BYTES"
  | "MAX_IMPORT_BYTES"
  | "MAX_COMMAND_BYTES"
  | "OBJECT_CHECKS"
  | "BIG_OBJECT_BYTES"
  | "MAX_OBJECT_BYTES"
  | "MAX_LFS_OBJECT_BYTES"
  | "MAX_UPLOAD_REQUEST_BYTES"
  | "MAX_API_BODY_BYTES"
  | "STORAGE_LIMIT_BYTES"
  | "ARCHIVE_HIGH_WATERMARK"
  | "ARCHIVE_LOW_WATERMARK"
  | "ARCHIVE_COLD_AFTER_DAYS"
  | "AUTH_MODE"
  | "ADMIN_TOKEN"
  | "AUTH_FAILURE_LIMIT"
  | "AUTH_FAILURE_WINDOW_SECONDS"
  | "LOG_LEVEL"
  | "REPO_RETENTION_DAYS"
  | "ALLOW_PRIVATE_URLS"
  | "WEBHOOK_RETRY_SECONDS";

const parsed = new WeakMap<object, Settings>();

/** The settings of this environment, parsed on first use (which also sets the logger's level). */
export function settings(env: Vars): Settings {
  let s = parsed.get(env);
  if (!s) {
    s = parseSettings(env);
    parsed.set(env, s);
    setLogLevel(s.logLevel);
  }
  return s;
}

export function parseSettings(vars: Vars): Settings {
  // Anything but "open" locks the server: a typo must not leave it open.
  const open = vars.AUTH_MODE?.trim() === "open";
  return {
    denyNonFastForward: refPatterns(vars.DENY_NON_FAST_FORWARD),
    maxPushBytes: positive(vars.MAX_PUSH_BYTES, 100 * 1024 * 1024),
    maxImportBytes: positive(vars.MAX_IMPORT_BYTES, 2 * 1024 ** 3),
    objectErrorsRefuse: vars.OBJECT_CHECKS?.trim() !== "warn",
    objects: {
      bigBytes: positive(vars.BIG_OBJECT_BYTES, 4 * 1024 * 1024),
      maxBytes: positive(vars.MAX_OBJECT_BYTES, 100 * 1024 * 1024),
      maxLfsBytes: positive(vars.MAX_LFS_OBJECT_BYTES, 5 * 1024 ** 3),
    },
    limits: {
      commandBytes: positive(vars.MAX_COMMAND_BYTES, 8 * 1024 * 1024),
      uploadRequestBytes: positive(vars.MAX_UPLOAD_REQUEST_BYTES, 16 * 1024 * 1024),
      apiBodyBytes: positive(vars.MAX_API_BODY_BYTES, 64 * 1024),
    },
    archive: {
      limitBytes: positive(vars.STORAGE_LIMIT_BYTES, 5 * 1024 ** 3),
      highWatermark: positive(vars.ARCHIVE_HIGH_WATERMARK, 0.8),
      lowWatermark: positive(vars.ARCHIVE_LOW_WATERMARK, 0.6),
      coldAfterMs: positive(vars.ARCHIVE_COLD_AFTER_DAYS, 30) * 86_400_000,
    },
    auth: {
      mode: open ? "open" : "token",
      adminToken: vars.ADMIN_TOKEN ? vars.ADMIN_TOKEN : null,
      failureLimit: positive(vars.AUTH_FAILURE_LIMIT, 10),
      failureWindowMs: positive(vars.AUTH_FAILURE_WINDOW_SECONDS, 300) * 1000,
    },
    retentionMs: positive(vars.REPO_RETENTION_DAYS, 7) * 86_400_000,
    outbound: {
      allowPrivateUrls: open || vars.ALLOW_PRIVATE_URLS?.trim() === "true",
      retryBaseMs: positive(vars.WEBHOOK_RETRY_SECONDS, 10) * 1000,
    },
    logLevel: LOG_LEVELS.find((level) => level === vars.LOG_LEVEL?.trim().toLowerCase()) ?? "info",
  };
}

/** "refs/heads/main,refs/tags/*": exact names, or prefixes ending in "*". */
function refPatterns(value: string | undefined): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) && n > 0 ? n : fallback;
}
