// git's environment for tests that use Git LFS: a global config of its own that includes the
// harness's (bench/harness/git.ts) and adds git-lfs's filters, as `git lfs install` would.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gitEnv } from "../../bench/harness/git";

/** Writes the config into `dir` and returns the environment that points git at it. */
export async function lfsGitEnv(dir: string): Promise<Record<string, string>> {
  const config = join(dir, "gitconfig-lfs");
  await writeFile(config, `[include]\n\tpath = ${gitEnv().HOME}/.gitconfig\n[filter "lfs"]\n\tclean = git-lfs clean -- %f\n\tsmudge = git-lfs smudge -- %f\n\tprocess = git-lfs filter-process\n\trequired = true\n`);
  return { GIT_CONFIG_GLOBAL: config };
}
