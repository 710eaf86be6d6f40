// Which packs an archive job moves to R2: the least recently read hot packs until hot bytes would
// fall under the low watermark, plus every hot pack not read for the cold threshold.
import type { ArchiveSettings } from "../../worker/settings";

export interface PlanCandidate {
  id: number;
  bytes: number;
  lastAccessAt: number;
}

/** `candidates` are the hot packs that may be archived now; returns their ids in archive order. */
export function choosePacks(candidates: PlanCandidate[], hotBytes: number, settings: ArchiveSettings, now: number): number[] {
  const target = settings.lowWatermark * settings.limitBytes;
  const overHigh = hotBytes > settings.highWatermark * settings.limitBytes;
  const chosen: number[] = [];
  let remaining = hotBytes;
  for (const pack of [...candidates].sort((a, b) => a.lastAccessAt - b.lastAccessAt || a.id - b.id)) {
    const cold = now - pack.lastAccessAt >= settings.coldAfterMs;
    if (!cold && !(overHigh && remaining > target)) continue;
    chosen.push(pack.id);
    remaining -= pack.bytes;
  }
  return chosen;
}
