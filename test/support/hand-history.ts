// Histories built by hand for tests of walks over commits: the trees of a map of files, and commits
// with the parents and committer time a test needs (dates that disagree with the parents included).
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
