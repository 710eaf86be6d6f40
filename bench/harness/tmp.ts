// Temporary directories for the end-to-end harness: each one is created fresh and removed by its owner.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TmpDir {
  path: string;
  cleanup(): Promise<void>;
}

/** Creates a fresh directory under the system temp dir; set E2E_KEEP_TMP=1 to keep it for debugging. */
export async function tmpDir(prefix: string): Promise<TmpDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    async cleanup() {
      if (!process.env.E2E_KEEP_TMP) await rm(path, { recursive: true, force: true });
    },
  };
}
