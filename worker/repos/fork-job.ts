// The fork Queue's consumer: copies a repository into its fork (durable/lifecycle/fork.ts has the
// steps), a pack at a time and each pack a slice at a time (COPY_BYTES of bytes, ROWS_PAGE index
// rows), so that neither side holds a pack whole; then its Git LFS objects, each streamed from the
// source's R2 prefix to the fork's and recorded once there, LFS_PAGE at a time. Any failure retries
// the whole job from a reset (an LFS object already copied is copied again, the same bytes); the
// fork answers "state": "forking" until the last step. Each job is an operation with its log line.
import { Operation } from "../../durable/observe/operation";
import type { ForkMessage } from "../../durable/repo-object";
import type { Env } from "../env";
import { lfsKey } from "../../durable/lfs/objects";

const COPY_BYTES = 1024 * 1024;
const ROWS_PAGE = 5000;
const LFS_PAGE = 50;

export async function consumeForkBatch(batch: MessageBatch<ForkMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const op = new Operation("fork", { repo: message.body.target, actor: message.body.by.actor, metrics: env.METRICS });
    try {
      const copied = await forkRepository(env, message.body);
      op.bytesOut = copied.bytes;
      op.objectsOut = copied.objects;
      message.ack();
    } catch (e) {
      op.fail(e);
      message.retry({ delaySeconds: Math.min(600, 5 * 2 ** message.attempts) });
    } finally {
      op.finish();
    }
  }
}

export async function forkRepository(env: Env, m: ForkMessage): Promise<{ bytes: number; objects: number }> {
  const source = env.REPO.get(env.REPO.idFromName(m.source));
  const target = env.REPO.get(env.REPO.idFromName(m.target));
  await target.forkReset();
  const snapshot = await source.forkSnapshot();
  let bytes = 0;
  let objects = 0;
  for (const pack of snapshot.packs) {
    const id = await target.forkPackBegin();
    for (let start = 0; start < pack.bytes; start += COPY_BYTES) {
      await target.forkPackWrite(id, await source.forkRead(pack.id, start, Math.min(pack.bytes, start + COPY_BYTES)));
    }
    await target.forkPackSeal(id, pack.objects, pack.checksum);
    for (let after = -1; ; ) {
      const rows = await source.forkRows(pack.id, after, ROWS_PAGE);
      if (rows.length === 0) break;
      await target.forkPackIndex(id, rows);
      after = rows[rows.length - 1]!.offset;
      objects += rows.length;
    }
    bytes += pack.bytes;
  }
  for (let after = ""; ; ) {
    const page = await source.forkLfs(after, LFS_PAGE);
    if (page.length === 0) break;
    for (const o of page) await copyLfsObject(env.LFS, lfsKey(m.source, o.oid), lfsKey(m.target, o.oid), o.size);
    await target.forkLfsCopied(page, m.by);
    after = page[page.length - 1]!.oid;
    bytes += page.reduce((sum, o) => sum + o.size, 0);
  }
  await target.forkFinish({ refs: snapshot.refs, head: snapshot.head }, m.by);
  return { bytes, objects };
}

/** Streams one object to its new key; the source's catalogue says it is there, so a missing one is an error the job retries. */
async function copyLfsObject(bucket: R2Bucket, from: string, to: string, size: number): Promise<void> {
  const object = await bucket.get(from);
  if (!object) throw new Error(`the Git LFS object ${from} is in the catalogue but not in R2`);
  const sized = new FixedLengthStream(size);
  await Promise.all([object.body.pipeTo(sized.writable), bucket.put(to, sized.readable)]);
}
