// The usual starting point of an end-to-end test: a working copy that pushed a short history to a new
// repository on the server, and clones of that repository next to it.
import { join } from "node:path";
import { commitFile } from "./fixtures";
import { git, protocolArgs } from "../../bench/harness/git";
import type { Harness } from "./harness";

export interface Workspace {
  /** The test's own directory; the working copies are inside it. */
  dir: string;
  /** The repository on the server. */
  url: string;
  /** A working copy on main with remote origin = url and main (and the extra branches) pushed. */
  writer: string;
  /** Clones the repository into <dir>/<name>, with git's default protocol unless one is given. */
  clone(name: string, protocol?: 0 | 2): Promise<string>;
}

/**
 * Creates repository /alice/<name>.git on the server from `commits` commits on main (default 2) and one
 * commit of its own on each of `branches`, each branched from main.
 */
export async function pushedWorkspace(
  harness: Harness,
  name: string,
  { commits = 2, branches = [] }: { commits?: number; branches?: string[] } = {},
): Promise<Workspace> {
  const dir = await harness.workdir(name);
  const url = harness.repoUrl(name);
  const writer = join(dir, "writer");
  await git(["init", "--quiet", writer], { cwd: dir });
  await git(["remote", "add", "origin", url], { cwd: writer });
  for (let i = 0; i < commits; i++) await commitFile(writer, "history.txt", `version ${i}\n`, `Commit ${i}`);
  for (const branch of branches) {
    await git(["checkout", "--quiet", "-b", branch, "main"], { cwd: writer });
    await commitFile(writer, `branches/${branch}.txt`, `${branch}\n`, `Work on ${branch}`);
  }
  await git(["checkout", "--quiet", "main"], { cwd: writer });
  await git(["push", "--quiet", "--set-upstream", "origin", "main", ...branches], { cwd: writer });
  return {
    dir,
    url,
    writer,
    async clone(cloneName, protocol) {
      const path = join(dir, cloneName);
      await git([...protocolArgs(protocol), "clone", "--quiet", url, path], { cwd: dir });
      return path;
    },
  };
}
