// Purging a deleted repository once its retention is over: its R2 objects first (archived packs
// under "{owner}/{repo}/", Git LFS objects under "lfs/{owner}/{repo}/"), listed by prefix so that an
// object whose row was never written goes too, then all of its Durable Object's storage. Each step
// can be repeated: a purge cut short is finished by the next scheduled run.
import { lfsKey } from "../lfs/objects";

/** R2 deletes at most this many keys a call. */
const DELETE_BATCH = 1000;

/** Deletes every object under `prefix`; returns how many there were. */
export async function deletePrefix(bucket: R2Bucket, prefix: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    // Listed afresh each time: the previous page is gone, so the next one starts at the front.
    const page = await bucket.list({ prefix, limit: DELETE_BATCH });
    if (page.objects.length === 0) return deleted;
    await bucket.delete(page.objects.map((o) => o.key));
    deleted += page.objects.length;
    if (!page.truncated) return deleted;
  }
}

/** The R2 prefixes that hold repository `name`'s objects, in the archive bucket and the LFS bucket. */
export function repoPrefixes(name: string): { archive: string; lfs: string } {
  return { archive: `${name}/`, lfs: lfsKey(name, "") };
}
