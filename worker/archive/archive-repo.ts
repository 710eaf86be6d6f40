// One archive job for one repository: claim packs, copy each to R2 and verify it, then commit it in
// the repository. Every step is idempotent, so a redelivered or concurrent job archives nothing twice.
import type { Env } from "../env";
import { copyPackToR2, type FaultHook } from "./upload";

export interface ArchiveOutcome {
  archived: number[];
  /** The bytes of the archived packs. */
  bytes: number;
}

export async function archiveRepository(env: Env, name: string, fault?: FaultHook): Promise<ArchiveOutcome> {
  const repo = env.REPO.get(env.REPO.idFromName(name));
  const tasks = await repo.claimArchive();
  const archived: number[] = [];
  let bytes = 0;
  for (const [i, task] of tasks.entries()) {
    try {
      await copyPackToR2(env.ARCHIVE, repo, task, fault);
      fault?.("after-upload");
      if (await repo.commitArchive(task.packId, task.key, task.bytes)) {
        archived.push(task.packId);
        bytes += task.bytes;
      }
    } catch (e) {
      // A crash leaves the claims to expire; an error we see gives back this pack's and the rest's now.
      for (const left of tasks.slice(i)) await repo.releaseClaim(left.packId).catch(() => undefined);
      throw e;
    }
  }
  fault?.("after-commit");
  await repo.archiveFinished(archived.length, bytes);
  return { archived, bytes };
}
