// The large-file corpus: what a repository of game assets, datasets or firmware looks like to the server.
// A 90 MiB incompressible binary in three revisions, each a few rewritten regions of the last (so the
// packed revisions are deltas on a 90 MiB base), and a 60 MiB text file edited five times. Its
// incremental commit is a fourth revision of the binary, a thin delta on a base the server holds.
import { FastImport, type Change } from "./harness/fast-import";
import { git, initBare } from "./harness/git";
import { Random } from "./harness/random";

export const BIG_BINARY = "assets/model.bin";
const BIG_TEXT = "data/table.txt";
const BINARY_BYTES = 90 * 1024 * 1024;
const TEXT_BYTES = 60 * 1024 * 1024;
/** Regions of fresh bytes written into each new revision of the binary. */
const REWRITES = 4;
const REWRITE_BYTES = 64 * 1024;

/** `previous` with REWRITES regions of fresh random bytes, at offsets chosen by `rng`. */
export function reviseBinary(previous: Uint8Array, rng: Random): Uint8Array {
  const next = Uint8Array.from(previous);
  for (let n = 0; n < REWRITES; n++) next.set(rng.bytes(REWRITE_BYTES), rng.below(next.length - REWRITE_BYTES));
  return next;
}

/**
 * Creates the corpus as a bare repository at `dir`, repacked into one pack with deltas as git would
 * serve it; returns the binary's last revision.
 */
export async function makeBigFilesRepo(dir: string): Promise<Uint8Array> {
  const rng = new Random(0xb16f11e5);
  const fi = new FastImport();
  const lines: string[] = [];
  for (let bytes = 0; bytes < TEXT_BYTES; bytes += lines[lines.length - 1]!.length + 1) lines.push(rng.line(96));
  const text = () => `${lines.join("\n")}\n`;
  let binary = rng.bytes(BINARY_BYTES);
  let parent = fi.commit({ ref: "refs/heads/main", message: "Add the model and the table\n", parents: [], changes: [{ path: BIG_BINARY, content: binary }, { path: BIG_TEXT, content: text() }] });
  for (let edit = 1; edit <= 5; edit++) {
    for (let n = 0; n < 100; n++) lines[rng.below(lines.length)] = rng.line(96);
    const changes: Change[] = [{ path: BIG_TEXT, content: text() }];
    if (edit <= 2) {
      binary = reviseBinary(binary, rng);
      changes.push({ path: BIG_BINARY, content: binary });
    }
    parent = fi.commit({ ref: "refs/heads/main", message: `Revision ${edit + 1}\n`, parents: [parent], changes });
  }
  await initBare(dir);
  await fi.run(dir);
  await git(["repack", "-a", "-d", "-f", "-q"], { cwd: dir });
  return binary;
}
