// Deterministic fixture repositories for the end-to-end suite (written with git fast-import, fixed dates),
// plus helpers to commit in a working copy and to list refs for exact comparison.
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { FastImport, type Change } from "../../bench/harness/fast-import";
import { forEachRef, git, initBare, refName, revParse } from "../../bench/harness/git";
import { Random } from "../../bench/harness/random";

const MAIN = "refs/heads/main";

/** A text file edited one line at a time, so that consecutive versions delta well. */
class TextFile {
  constructor(
    readonly path: string,
    private lines: string[],
  ) {}

  /** A copy with its own lines, for a branch that diverges. */
  fork(path = this.path): TextFile {
    return new TextFile(path, [...this.lines]);
  }

  edit(rng: Random): Change {
    this.lines[rng.below(this.lines.length)] = rng.line();
    return this.write();
  }

  append(text: string): Change {
    this.lines.push(text);
    return this.write();
  }

  write(): Change {
    return { path: this.path, content: `${this.lines.join("\n")}\n` };
  }
}

/** A binary file of seeded random bytes, changed in a few places per edit (git still finds a delta). */
class BinaryFile {
  constructor(
    readonly path: string,
    private bytes: Uint8Array,
  ) {}

  edit(rng: Random): Change {
    this.bytes = this.bytes.slice(); // the previous version is still referenced by the stream
    for (let i = 0; i < 16; i++) this.bytes[rng.below(this.bytes.length)] = rng.next() & 0xff;
    return this.write();
  }

  write(): Change {
    return { path: this.path, content: this.bytes };
  }
}

/**
 * Creates a bare repository at `dir` (push from it with refspecs refs/heads/* and refs/tags/*) with:
 * `commits` first-parent commits on main, one of them merging feature/b; feature/a and release/1.x
 * diverging from main; text files edited a line per commit and a large text file edited every tenth
 * (deltas); seeded binary files of 24-64 KB edited in place; chapters added, renamed with an edit,
 * and deleted; an executable and a symlink; annotated, lightweight and tag-of-tag tags.
 */
export async function makeRichRepo(dir: string, { commits = 220 }: { commits?: number } = {}): Promise<void> {
  if (commits < 60) throw new Error("makeRichRepo needs at least 60 commits");
  const rng = new Random(0x5eed);
  const fi = new FastImport();
  const modules = Array.from({ length: 8 }, (_, k) => new TextFile(`src/module-${k}.txt`, rng.lines(60 + 10 * k)));
  const big = new TextFile("data/big.txt", rng.lines(2000)); // about 130 KB
  const images = [24, 40, 64].map((kb, k) => new BinaryFile(`assets/image-${k}.bin`, rng.bytes(kb * 1024)));
  const featureA = new TextFile("src/feature-a.txt", rng.lines(40));
  const featureB = new TextFile("src/feature-b.txt", rng.lines(40));
  const aAt = Math.floor(commits * 0.4);
  const bAt = Math.floor(commits * 0.6);
  const releaseAt = Math.floor(commits * 0.75);
  const mergeAt = Math.floor(commits * 0.85);

  const main: number[] = [];
  main.push(
    fi.commit({
      ref: MAIN,
      message: "Initial import\n",
      parents: [],
      changes: [
        { path: "README.md", content: "# Rich fixture\n" },
        { path: "bin/tool.sh", content: "#!/bin/sh\necho tool\n", mode: "100755" },
        { path: "link-to-readme", content: "README.md", mode: "120000" },
        ...modules.map((file) => file.write()),
        big.write(),
        ...images.map((file) => file.write()),
      ],
    }),
  );

  /** Commits `count` times on `ref` starting from `from`; returns the marks. */
  const series = (ref: string, from: number, count: number, edit: (n: number) => Change[]): number[] => {
    const marks: number[] = [];
    for (let n = 0; n < count; n++) {
      const parent = marks[n - 1] ?? from;
      marks.push(fi.commit({ ref, message: `${ref.slice(11)}: step ${n}\n`, parents: [parent], changes: edit(n) }));
    }
    return marks;
  };

  let featureBTip = 0;
  let releaseMarks: number[] = [];
  const chapters = new Map<number, TextFile>();
  const archived: string[] = [];
  for (let i = 1; i < commits; i++) {
    const changes: Change[] = [modules[i % modules.length]!.edit(rng)];
    if (i % 10 === 0) changes.push(big.edit(rng));
    if (i % 25 === 0) changes.push(images[(i / 25) % images.length]!.edit(rng));
    if (i % 15 === 0) {
      const chapter = new TextFile(`docs/chapter-${i}.md`, rng.lines(30));
      chapters.set(i, chapter);
      changes.push(chapter.write());
    }
    if (i % 30 === 0) {
      const chapter = chapters.get(i - 15)!;
      const moved = chapter.fork(`docs/archive/chapter-${i - 15}.md`);
      changes.push({ path: chapter.path, renameTo: moved.path }, moved.append(`Archived at step ${i}.`));
      archived.push(moved.path);
    }
    if (i % 50 === 0 && archived.length > 1) changes.push({ path: archived.shift()!, delete: true });
    const parents = [main[i - 1]!];
    if (i === mergeAt) {
      parents.push(featureBTip);
      changes.push(featureB.write());
    }
    const message = i === mergeAt ? "Merge branch 'feature/b'\n" : `Step ${i}\n\nEdits ${changes.length} file(s).\n`;
    main.push(fi.commit({ ref: MAIN, message, parents, changes }));

    if (i === aAt) {
      const module = modules[0]!.fork();
      const marks = series("refs/heads/feature/a", main[i]!, 12, (n) =>
        n % 3 === 2 ? [featureA.edit(rng), module.edit(rng)] : [featureA.edit(rng)],
      );
      fi.reset("refs/tags/feature-a-done", marks[marks.length - 1]!);
    }
    if (i === bAt) featureBTip = series("refs/heads/feature/b", main[i]!, 8, () => [featureB.edit(rng)]).pop()!;
    if (i === releaseAt) {
      const changelog = new TextFile("CHANGELOG-1.x.md", ["# 1.x"]);
      const module = modules[1]!.fork();
      releaseMarks = series("refs/heads/release/1.x", main[i]!, 5, (n) => [changelog.append(`- fix ${n}`), module.edit(rng)]);
    }
  }

  fi.tag({ name: "v0.1", target: main[10]!, message: "Version 0.1\n" });
  fi.reset("refs/tags/snapshot-50", main[50]!);
  const v1 = fi.tag({ name: "v1.0", target: main[aAt]!, message: "Version 1.0\n\nFirst stable release.\n" });
  fi.tag({ name: "v1.0-countersigned", target: v1, message: "A tag of the tag v1.0\n" });
  fi.reset("refs/tags/rc-1.1", releaseMarks[0]!);
  fi.tag({ name: "v1.1", target: releaseMarks[releaseMarks.length - 1]!, message: "Version 1.1\n" });
  fi.tag({ name: "v2.0", target: main[main.length - 1]!, message: "Version 2.0\n" });

  await initBare(dir);
  await fi.run(dir);
}

/** An object id that is not in any fixture: the target of a gitlink, as for a submodule commit. */
function foreignOid(seed: string): string {
  return createHash("sha1").update(seed).digest("hex");
}

/**
 * Creates a bare repository at `dir` with exactly `refs` refs (main, topic/NNN branches and t-NNN tags,
 * half annotated), enough for a clone's request to exceed git's 1 KiB gzip threshold, and a submodule:
 * a .gitmodules file and a gitlink (mode 160000) at vendor/lib to commits that are not in the repository.
 */
export async function makeManyRefsRepo(dir: string, { refs = 520 }: { refs?: number } = {}): Promise<void> {
  if (refs < 3) throw new Error("makeManyRefsRepo needs at least 3 refs");
  const rng = new Random(0x12ef5);
  const fi = new FastImport();
  const readme = new TextFile("README.md", rng.lines(20));
  const gitmodules = '[submodule "vendor/lib"]\n\tpath = vendor/lib\n\turl = https://example.com/vendor/lib.git\n';
  const main: number[] = [];
  for (let i = 0; i < 40; i++) {
    const changes: Change[] = [readme.edit(rng)];
    if (i === 0) changes.push({ path: ".gitmodules", content: gitmodules });
    if (i % 10 === 0) changes.push({ path: "vendor/lib", gitlink: foreignOid(`vendor/lib ${i}`) });
    main.push(fi.commit({ ref: MAIN, message: `Commit ${i}\n`, parents: main.slice(-1), changes }));
  }
  const pad = (n: number) => String(n).padStart(3, "0");
  const branches = Math.floor((refs - 1) / 2);
  const topics: number[] = [];
  for (let n = 0; n < branches; n++) {
    const ref = `refs/heads/topic/${pad(n)}`;
    const changes: Change[] = [{ path: `topics/${pad(n)}.txt`, content: `${rng.line()}\n` }];
    topics.push(fi.commit({ ref, message: `Topic ${n}\n`, parents: [main[n % main.length]!], changes }));
  }
  for (let n = 0; n < refs - 1 - branches; n++) {
    if (n % 2 === 0) fi.tag({ name: `t-${pad(n)}`, target: main[n % main.length]!, message: `Tag ${n}\n` });
    else fi.reset(`refs/tags/t-${pad(n)}`, topics[n % topics.length]!);
  }
  await initBare(dir);
  await fi.run(dir);
}


/**
 * The refs a non-mirror clone got from its origin, named as the origin stores them (refs/remotes/origin/X
 * becomes refs/heads/X; tags as they are; origin/HEAD dropped), in the format of forEachRef.
 */
export async function clonedRefs(dir: string): Promise<string[]> {
  const lines = await forEachRef(dir, "refs/remotes/origin/", "refs/tags/");
  return lines
    .filter((line) => refName(line) !== "refs/remotes/origin/HEAD")
    .map((line) => line.replace(/ refs\/remotes\/origin\//, " refs/heads/"));
}

/** Writes `content` to `path` in the working copy `dir`, commits it, and returns the new commit's id. */
export async function commitFile(dir: string, path: string, content: string, message: string): Promise<string> {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), content);
  await git(["add", "--", path], { cwd: dir });
  await git(["commit", "--quiet", "-m", message], { cwd: dir });
  return revParse(dir, "HEAD");
}
