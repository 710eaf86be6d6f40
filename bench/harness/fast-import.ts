// Builds a `git fast-import` stream in memory and feeds it to git in one process, so fixture
// repositories with hundreds of commits are written quickly and deterministically (fixed dates).
import { git } from "./git";

/** One change to the parent's tree: write a file (or symlink), record a gitlink, delete, or rename. */
export type Change =
  | { path: string; content: string | Uint8Array; mode?: "100644" | "100755" | "120000" }
  | { path: string; gitlink: string }
  | { path: string; delete: true }
  | { path: string; renameTo: string };

export interface CommitSpec {
  /** Full ref name the commit is made on, e.g. refs/heads/main. */
  ref: string;
  message: string;
  /** Marks of the parents, first parent first; empty for a root commit. */
  parents: number[];
  changes: Change[];
}

export interface TagSpec {
  /** Tag name without refs/tags/. */
  name: string;
  /** Mark of the tagged object (a commit, or another tag). */
  target: number;
  message: string;
}

const SAFE_PATH = /^[A-Za-z0-9._\/-]+$/;

export class FastImport {
  private readonly chunks: Uint8Array[] = [];
  private marks = 0;
  private time: number;

  /** Every commit and tag advances the clock by one minute from `startTime` (seconds since the epoch). */
  constructor(startTime = 1_600_000_000) {
    this.time = startTime;
  }

  commit(spec: CommitSpec): number {
    const mark = ++this.marks;
    const [from, ...merges] = spec.parents;
    this.line(`commit ${spec.ref}`);
    this.line(`mark :${mark}`);
    this.line(`author A U Thor <author@example.com> ${this.tick()} +0000`);
    this.line(`committer C O Mitter <committer@example.com> ${this.time} +0000`);
    this.data(spec.message);
    if (from !== undefined) this.line(`from :${from}`);
    for (const merge of merges) this.line(`merge :${merge}`);
    for (const change of spec.changes) this.change(change);
    this.line("");
    return mark;
  }

  /** An annotated tag; returns its mark so that a tag can point at a tag. */
  tag(spec: TagSpec): number {
    const mark = ++this.marks;
    this.line(`tag ${spec.name}`);
    this.line(`mark :${mark}`);
    this.line(`from :${spec.target}`);
    this.line(`tagger T A Gger <tagger@example.com> ${this.tick()} +0000`);
    this.data(spec.message);
    return mark;
  }

  /** Points a ref at a marked object without creating anything (branches, lightweight tags). */
  reset(ref: string, target: number): void {
    this.line(`reset ${ref}`);
    this.line(`from :${target}`);
    this.line("");
  }

  /** Writes everything into the repository at `dir` (which must exist) and updates its refs. */
  async run(dir: string): Promise<void> {
    this.line("done");
    await git(["fast-import", "--quiet", "--done", "--date-format=raw"], { cwd: dir, input: Buffer.concat(this.chunks) });
  }

  private change(change: Change): void {
    checkPath(change.path);
    if ("content" in change) {
      this.line(`M ${change.mode ?? "100644"} inline ${change.path}`);
      this.data(change.content);
    } else if ("gitlink" in change) {
      this.line(`M 160000 ${change.gitlink} ${change.path}`);
    } else if ("renameTo" in change) {
      checkPath(change.renameTo);
      this.line(`R ${change.path} ${change.renameTo}`);
    } else {
      this.line(`D ${change.path}`);
    }
  }

  private tick(): number {
    this.time += 60;
    return this.time;
  }

  private line(text: string): void {
    this.chunks.push(Buffer.from(`${text}\n`));
  }

  private data(content: string | Uint8Array): void {
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    this.line(`data ${bytes.length}`);
    this.chunks.push(bytes, Buffer.from("\n"));
  }
}

/** Fixture paths are written unquoted into the stream, so they are kept to a quoting-free alphabet. */
function checkPath(path: string): void {
  if (!SAFE_PATH.test(path)) throw new Error(`fixture path needs quoting: ${JSON.stringify(path)}`);
}
