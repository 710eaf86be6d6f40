// The repositories the benchmark pushes and clones: synthetic ones (corpus-synthetic.ts, corpus-big-files.ts) and real ones
// given by path, copied first into a bare repository holding only their branches and tags.
import { stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { git, initBare } from "./harness/git";
import { makeSyntheticRepo, SYNTHETIC, type SyntheticName } from "./corpus-synthetic";
import { BIG_BINARY, makeBigFilesRepo, reviseBinary } from "./corpus-big-files";
import { Random } from "./harness/random";

export interface Corpus {
  /** Also used in repository names on the servers, so kept to [A-Za-z0-9._-]. */
  name: string;
  /** A bare repository with refs/heads/* and refs/tags/* only. */
  dir: string;
  /** The branch incremental pushes add commits to and shallow clones ask for: the source's HEAD if it is a branch. */
  branch: string;
  description: string;
  /** The file run `run`'s incremental commit writes; default a line of text in bench-incremental.txt. */
  incremental?: (run: number) => IncrementalFile;
}

export interface IncrementalFile {
  path: string;
  content: string | Uint8Array;
}

/** A short name for the table and the servers: the directory's name without .git (its parent's if that is a generic "repo"), at most 60 characters. */
function labelOf(path: string): string {
  const trimmed = resolve(path).replace(/\/\.git$/, "");
  let label = basename(trimmed).replace(/\.git$/, "");
  if (label === "repo" || label === "") label = basename(dirname(trimmed));
  return label.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^\.+/, "").slice(0, 60) || "repo";
}

/** "N commits, N objects, N MB packed, N refs" for a repository whose objects are all in packs or loose (no alternates). */
async function describe(dir: string, origin: string): Promise<string> {
  const output = async (args: string[]) => (await git(args, { cwd: dir })).stdout.trim();
  const counts = await output(["count-objects", "-v"]);
  const field = (key: string) => Number(new RegExp(`^${key}: (\\d+)$`, "m").exec(counts)?.[1] ?? 0);
  const objects = field("count") + field("in-pack");
  const mb = ((field("size-pack") + field("size")) * 1024) / 1e6;
  const commits = await output(["rev-list", "--all", "--count"]);
  const refs = (await output(["for-each-ref", "--format=x"])).split("\n").length;
  return `${origin}: ${commits} commits, ${objects} objects, ${mb.toFixed(1)} MB packed, ${refs} refs`;
}

/** The branch of `dir` named by `source`'s HEAD if there is one, else the first branch of `dir`. */
async function defaultBranch(dir: string, source: string): Promise<string> {
  const head = (await git(["symbolic-ref", "-q", "HEAD"], { cwd: source }).catch(() => ({ stdout: "" }))).stdout.trim();
  const branches = (await git(["for-each-ref", "--format=%(refname)", "refs/heads/"], { cwd: dir })).stdout.split("\n").filter(Boolean);
  if (branches.length === 0) throw new Error(`${dir} has no branches`);
  return branches.includes(head) ? head : branches[0]!;
}

export async function syntheticCorpus(name: SyntheticName, root: string): Promise<Corpus> {
  const dir = join(root, `${name}.git`);
  if (name === "big-files") {
    const last = await makeBigFilesRepo(dir);
    // Each run's revision is a few regions away from the corpus's last one: a thin delta on it.
    const incremental = (run: number) => ({ path: BIG_BINARY, content: reviseBinary(last, new Random(run)) });
    return { name, dir, branch: "refs/heads/main", description: await describe(dir, "synthetic"), incremental };
  }
  await makeSyntheticRepo(dir, SYNTHETIC[name]);
  return { name, dir, branch: "refs/heads/main", description: await describe(dir, "synthetic") };
}

/** Fetches the branches and tags of the repository at `path` (bare or not) into a new bare repository under `root`. */
export async function realCorpus(path: string, root: string, taken: ReadonlySet<string>): Promise<Corpus> {
  if (!(await stat(path).catch(() => undefined))?.isDirectory()) throw new Error(`--repo ${path}: not a directory`);
  let name = labelOf(path);
  for (let n = 2; taken.has(name); n++) name = `${labelOf(path)}-${n}`;
  const dir = join(root, `${name}.git`);
  await initBare(dir);
  await git(["fetch", "--quiet", "--no-tags", resolve(path), "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"], { cwd: dir });
  const branch = await defaultBranch(dir, resolve(path));
  await git(["symbolic-ref", "HEAD", branch], { cwd: dir });
  return { name, dir, branch, description: await describe(dir, resolve(path)) };
}
