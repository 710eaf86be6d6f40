// Pack limits for tests that ingest packs directly: the given push size, the settings' object limits.
import type { PackLimits } from "../../durable/pack/indexer";
import { parseSettings } from "../../worker/settings";

export function packLimits(maxBytes: number, objects: { BIG_OBJECT_BYTES?: string; MAX_OBJECT_BYTES?: string } = {}): PackLimits {
  const { bigBytes, maxBytes: maxObjectBytes } = parseSettings(objects).objects;
  return { maxBytes, bigObjectBytes: bigBytes, maxObjectBytes };
}
