// Archival settings from the environment: the storage limit, the watermarks and the cold threshold.

export interface ArchiveSettings {
  limitBytes: number;
  highWatermark: number;
  lowWatermark: number;
  coldAfterMs: number;
}

export interface ArchiveVars {
  STORAGE_LIMIT_BYTES?: string;
  ARCHIVE_HIGH_WATERMARK?: string;
  ARCHIVE_LOW_WATERMARK?: string;
  ARCHIVE_COLD_AFTER_DAYS?: string;
}

function numberOr(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) && n > 0 ? n : fallback;
}

export function archiveSettings(env: ArchiveVars): ArchiveSettings {
  return {
    limitBytes: numberOr(env.STORAGE_LIMIT_BYTES, 5 * 1024 ** 3),
    highWatermark: numberOr(env.ARCHIVE_HIGH_WATERMARK, 0.8),
    lowWatermark: numberOr(env.ARCHIVE_LOW_WATERMARK, 0.6),
    coldAfterMs: numberOr(env.ARCHIVE_COLD_AFTER_DAYS, 30) * 86_400_000,
  };
}
