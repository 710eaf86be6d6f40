// Deterministic synthetic repositories for the benchmark, written with git fast-import: text files edited
// a line at a time in a tree of directories, fresh random binaries, branches, a merge and tags.
import { FastImport, type Change } from "./harness/fast-import";
import { git, initBare } from "./harness/git";
import { Random } from "./harness/random";

/** The size of a synthetic repository; objects ≈ commits × (2 + 2 × editsPerCommit) plus the binaries. */
export interface SyntheticShape {
  /** Commits on main (the side branches add about 6% more). */
  commits: number;
  /** Top-level directories of text files. */
  dirs: number;
  filesPerDir: number;
  /** Text files edited per commit, each in a different directory. */
  editsPerCommit: number;
  /** A binary file of fresh random bytes (incompressible, no delta) is rewritten every this many commits. */
  binaryEvery: number;
  binaryBytes: number;
}

export const SYNTHETIC = {
  small: { commits: 720, dirs: 8, filesPerDir: 6, editsPerCommit: 1, binaryEvery: 4, binaryBytes: 8_500 },
  medium: { commits: 1_400, dirs: 24, filesPerDir: 8, editsPerCommit: 4, binaryEvery: 1, binaryBytes: 17_000 },
  large: { commits: 6_000, dirs: 48, filesPerDir: 12, editsPerCommit: 5, binaryEvery: 3, binaryBytes: 60_000 },
} satisfies Record<string, SyntheticShape>;

/** The synthetic corpora --synthetic may name: the shapes above and the large-file corpus (corpus-big-files.ts). */
export const SYNTHETIC_NAMES = [...(Object.keys(SYNTHETIC) as (keyof typeof SYNTHETIC)[]), "big-files"] as const;
export type SyntheticName = (typeof SYNTHETIC_NAMES)[number];

const MAIN = "refs/heads/main";
const LINES_PER_FILE = 40;
const BINARY_SLOTS = 16;

/** The text files of the tree, each an array of lines edited in place. */
class TextTree {
  private readonly files: string[][][];

  constructor(
    private readonly shape: SyntheticShape,
    rng: Random,
  ) {
    this.files = Array.from({ length: shape.dirs }, () => Array.from({ length: shape.filesPerDir }, () => rng.lines(LINES_PER_FILE)));
  }

  all(): Change[] {
    return this.files.flatMap((dir, d) => dir.map((_, f) => this.write(d, f)));
  }

  /** Edits one line of `editsPerCommit` files in consecutive directories, starting from a directory that rotates per commit. */
  edit(rng: Random, step: number): Change[] {
    const { dirs, filesPerDir, editsPerCommit } = this.shape;
    return Array.from({ length: editsPerCommit }, (_, k) => {
      const d = (step * editsPerCommit + k) % dirs;
      const f = rng.below(filesPerDir);
      const lines = this.files[d]![f]!;
      lines[rng.below(lines.length)] = rng.line();
      if (rng.below(8) === 0) lines.push(rng.line());
      return this.write(d, f);
    });
  }

  private write(d: number, f: number): Change {
    const path = `pkg-${String(d).padStart(2, "0")}/file-${f}.txt`;
    return { path, content: `${this.files[d]![f]!.join("\n")}\n` };
  }
}

/**
 * Creates a bare repository at `dir` shaped like `shape`: main with a branch release/1.x forked at 60%,
 * topic merged back into main at 90%, an annotated tag every 100 commits of main and a lightweight one
 * on release/1.x; then repacks it into one pack, as a served repository would be.
 */
export async function makeSyntheticRepo(dir: string, shape: SyntheticShape): Promise<void> {
  const rng = new Random(0xbe7c4 + shape.commits);
  const fi = new FastImport();
  const tree = new TextTree(shape, rng);
  const binary = (n: number): Change => ({ path: `assets/blob-${n % BINARY_SLOTS}.bin`, content: rng.bytes(shape.binaryBytes) });
  const sideCommits = Math.max(2, Math.floor(shape.commits / 30));
  const releaseAt = Math.floor(shape.commits * 0.6);
  const topicAt = Math.floor(shape.commits * 0.8);
  const mergeAt = Math.floor(shape.commits * 0.9);

  /** `count` commits on `ref` from `parent`, each editing files of its own; returns the last mark. */
  const branch = (ref: string, parent: number, count: number, firstStep: number): number => {
    for (let n = 0; n < count; n++) {
      const changes = tree.edit(rng, firstStep + n);
      parent = fi.commit({ ref, message: `${ref.slice(11)}: change ${n}\n`, parents: [parent], changes });
    }
    return parent;
  };

  const main = [fi.commit({ ref: MAIN, message: "Initial import\n", parents: [], changes: [...tree.all(), binary(0)] })];
  let topicTip = 0;
  for (let i = 1; i < shape.commits; i++) {
    const changes = tree.edit(rng, i);
    if (i % shape.binaryEvery === 0) changes.push(binary(i));
    const parents = i === mergeAt ? [main[i - 1]!, topicTip] : [main[i - 1]!];
    const message = i === mergeAt ? "Merge branch 'topic'\n" : `Change ${i}\n\nTouches ${changes.length} file(s).\n`;
    main.push(fi.commit({ ref: MAIN, message, parents, changes }));
    if (i % 100 === 0) fi.tag({ name: `v${i / 100}.0`, target: main[i]!, message: `Release ${i / 100}.0\n` });
    if (i === releaseAt) fi.reset("refs/tags/release-1.x-last", branch("refs/heads/release/1.x", main[i]!, sideCommits, i));
    if (i === topicAt) topicTip = branch("refs/heads/topic", main[i]!, sideCommits, i);
  }

  await initBare(dir);
  await fi.run(dir);
  await git(["repack", "-a", "-d", "-f", "-q"], { cwd: dir });
}
