// Correctness checks the benchmark makes (untimed) on what it got from each server: fsck of a full
// clone, refs equal to the source's, and the tips of incremental fetches and shallow clones.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { forEachRef, fsck, revParse } from "./harness/git";

/** Collects failed checks; each is also reported on stderr as soon as it happens. */
export class Failures {
  readonly messages: string[] = [];
  /** How many checks ran. */
  checks = 0;

  fail(message: string): void {
    this.messages.push(message);
    console.error(`\n!!! FAIL: ${message}\n`);
  }

  /** Runs `check` and records its error, shortened to its first lines, under `label`. */
  async check(label: string, check: () => Promise<void>): Promise<void> {
    this.checks++;
    try {
      await check();
    } catch (error) {
      this.fail(`${label}: ${String((error as Error).message ?? error).split("\n").slice(0, 12).join("\n    ")}`);
    }
  }
}

/** Throws with the first differing lines unless `got` equals `want` line for line. */
function sameLines(what: string, got: string[], want: string[]): void {
  const missing = want.filter((line) => !got.includes(line));
  const extra = got.filter((line) => !want.includes(line));
  if (missing.length === 0 && extra.length === 0 && got.length === want.length) return;
  const sample = (lines: string[]) => lines.slice(0, 5).join("; ") + (lines.length > 5 ? "; ..." : "");
  throw new Error(`${what} differ: ${missing.length} missing (${sample(missing)}), ${extra.length} unexpected (${sample(extra)})`);
}

/** A full bare clone is sound (fsck --full --strict) and has exactly the refs of `source`. */
export async function checkFullClone(clone: string, source: string): Promise<void> {
  await fsck(clone);
  sameLines("refs of the clone and the source", await forEachRef(clone), await forEachRef(source));
}

/** `git ls-remote` listed exactly the branches and tags of `source` (HEAD and peeled tags aside). */
export async function checkAdvertisedRefs(advertised: Map<string, string>, source: string): Promise<void> {
  const got = [...advertised].filter(([name]) => name !== "HEAD" && !name.endsWith("^{}")).map(([name, oid]) => `${oid} ${name}`);
  const want = (await forEachRef(source)).map((line) => line.replace(/ \w+ /, " "));
  sameLines("advertised refs and the source's", got.sort(), want.sort());
}

/** `ref` of the repository at `dir` is `oid`; with `shallow`, the repository is also a shallow one. */
export async function checkTip(dir: string, ref: string, oid: string, shallow = false): Promise<void> {
  const got = await revParse(dir, ref);
  if (got !== oid) throw new Error(`${ref} is ${got}, expected ${oid}`);
  if (shallow && !existsSync(join(dir, "shallow"))) throw new Error(`${dir} is not shallow`);
}
