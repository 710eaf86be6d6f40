// Histories built by hand for tests of walks over commits: the trees of a map of files, and commits
// with the parents and committer time a test needs, and one history whose dates disagree with its
// parents, for the walks by generation.
import { object, tree, type HandObject } from "./hand-pack";

/** path → [mode, content] */
export type Files = Record<string, [string, string]>;

/** The tree objects of `files` (git's order: a directory sorts as its name with "/"), root last. */
export function trees(files: Files, out: HandObject[]): string {
  const here = new Map<string, Files | [string, string]>();
  for (const [path, file] of Object.entries(files)) {
    const [name, ...rest] = path.split("/");
    if (rest.length === 0) here.set(name!, file);
    else {
      const sub = (here.get(name!) as Files | undefined) ?? {};
      sub[rest.join("/")] = file;
      here.set(name!, sub);
    }
  }
  const entries: [string, string, string][] = [];
  for (const [name, value] of here) {
    if (Array.isArray(value)) {
      const blob = object("blob", value[1]);
      out.push(blob);
      entries.push([value[0], name, blob.oid]);
    } else entries.push(["40000", name, trees(value, out)]);
  }
  entries.sort((a, b) => ((a[0] === "40000" ? `${a[1]}/` : a[1]) < (b[0] === "40000" ? `${b[1]}/` : b[1]) ? -1 : 1));
  const t = tree(...entries);
  out.push(t);
  return t.oid;
}

export function commitOf(treeOid: string, parents: string[], time: number, out: HandObject[]): string {
  const lines = [`tree ${treeOid}`, ...parents.map((p) => `parent ${p}`), `author A <a@x> ${time} +0000`, `committer C <c@x> ${time} +0000`];
  const c = object("commit", `${lines.join("\n")}\n\ncommit at ${time}\n`);
  out.push(c);
  return c.oid;
}

/** Commit `name` with a file of its own beside a shared one, so each snapshot's blobs are its own. */
export function commitNamed(name: string, parents: string[], time: number, out: HandObject[]): string {
  return commitOf(trees({ "shared.txt": ["100644", "shared\n"], [`dir/${name}.txt`]: ["100644", `${name}\n`] }, out), parents, time, out);
}

/**
 * main: m0 ← m1 ← m2 (older than m1) ← m3; have: m3 ← h1 ← h2, a year newer; want: m3 ← w1 ← w2, dated
 * before m0; and a merge of w2 and h1.
 */
export function skewedHistory(objects: HandObject[]) {
  const day = 86_400;
  const m0 = commitNamed("m0", [], 1_700_000_000, objects);
  const m1 = commitNamed("m1", [m0], 1_700_000_000 + day, objects);
  const m2 = commitNamed("m2", [m1], 1_700_000_000 - day, objects);
  const m3 = commitNamed("m3", [m2], 1_700_000_000 + 2 * day, objects);
  const h1 = commitNamed("h1", [m3], 1_700_000_000 + 365 * day, objects);
  const h2 = commitNamed("h2", [h1], 1_700_000_000 + 366 * day, objects);
  const w1 = commitNamed("w1", [m3], 1_600_000_000, objects);
  const w2 = commitNamed("w2", [w1], 1_600_000_060, objects);
  const merge = commitNamed("merge", [w2, h1], 1_600_000_120, objects);
  return { m0, m1, m2, m3, h1, h2, w1, w2, merge };
}
