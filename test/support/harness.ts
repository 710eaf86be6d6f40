// Per-file setup of the end-to-end suite: one server (see target.ts) for all tests of a file, and a
// fresh working directory per test under one temp root that is removed with the server.
import { mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { RunningServer } from "../../bench/harness/server";
import { startTarget, type TargetOptions } from "./target";
import { tmpDir, type TmpDir } from "../../bench/harness/tmp";

export interface Harness {
  /** The URL of repository /alice/<name>.git on the server; each test uses names of its own. */
  repoUrl(name: string): string;
  /** A new empty directory for one test. */
  workdir(name: string): Promise<string>;
}

/** Call at the top level of a test file: registers beforeAll/afterAll hooks that start and stop the server. */
export function useHarness(opts: TargetOptions = {}): Harness {
  let server: RunningServer | undefined;
  let root: TmpDir | undefined;
  beforeAll(async () => {
    root = await tmpDir("git-e2e-");
    server = await startTarget(opts);
  });
  afterAll(async () => {
    await server?.stop();
    await root?.cleanup();
  });
  return {
    repoUrl(name) {
      if (!server) throw new Error("the server is not running (use repoUrl inside tests)");
      return `${server.url}/alice/${name}.git`;
    },
    workdir(name) {
      if (!root) throw new Error("the harness is not set up (use workdir inside tests)");
      return mkdtemp(join(root.path, `${name}-`));
    },
  };
}
