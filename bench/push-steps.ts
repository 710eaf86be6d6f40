// Plans a large history's import in pushes of at most 100 MB each, as GitHub advises for big imports:
// commits of the branch (first parents, oldest first) where each push's new objects, measured by
// `git rev-list --disk-usage` on the corpus's own pack, stay under the limit; then the remaining
// refs (the other branches and the tags) in one last push.
import { git } from "./harness/git";

export const STEP_LIMIT_BYTES = 100 * 1000 * 1000;
/** Steps aim below the limit, since a pushed pack is not byte for byte the stored one. */
const STEP_TARGET_BYTES = 80 * 1000 * 1000;

export interface PushStep {
  /** What the step pushes to the branch: a commit, or null for the last step (every ref). */
  commit: string | null;
  /** The on-disk size of the objects it adds. */
  bytes: number;
}

async function diskUsage(dir: string, revs: string[]): Promise<number> {
  return Number((await git(["rev-list", "--objects", "--disk-usage", ...revs], { cwd: dir })).stdout.trim());
}

/** The steps, or null when the whole history fits in one push. */
export async function planPushSteps(dir: string, branch: string): Promise<PushStep[] | null> {
  const total = await diskUsage(dir, ["--all"]);
  if (total <= STEP_LIMIT_BYTES) return null;
  const commits = (await git(["rev-list", "--first-parent", "--reverse", branch], { cwd: dir })).stdout.trim().split("\n");
  const steps: PushStep[] = [];
  let from = -1;
  let stride = Math.ceil(commits.length / Math.ceil(total / STEP_TARGET_BYTES));
  while (from < commits.length - 1) {
    const to = Math.min(commits.length - 1, from + stride);
    const bytes = await diskUsage(dir, [commits[to]!, ...(from >= 0 ? [`^${commits[from]}`] : [])]);
    if (bytes > STEP_TARGET_BYTES && to - from > 1) {
      stride = Math.max(1, Math.floor(stride / 2));
      continue;
    }
    steps.push({ commit: commits[to]!, bytes });
    from = to;
  }
  steps.push({ commit: null, bytes: await diskUsage(dir, ["--all", `^${branch}`]) });
  return steps;
}
