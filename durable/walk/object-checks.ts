// The content checks of a push (pack/fsck.ts, git's fsck rules) over every object as it is indexed,
// and over the .gitmodules blobs its trees name once the whole pack is in. What refuses the push:
// structural problems always, git's errors unless OBJECT_CHECKS=warn; git's warnings are reported
// back as `remote: warning: ...` lines, its infos not at all. The push is refused at its first refusal, naming object and rule.
import { checkCommit, checkGitmodules, checkTag, checkTree, isStructural, type FsckProblem } from "../pack/fsck";
import { OBJ_BLOB, OBJ_COMMIT, OBJ_TAG, OBJ_TREE, type GitObject } from "../pack/types";
import type { Oversized } from "../pack/indexer";
import type { ObjectStore } from "../store/objects";

/** Warnings sent back to the client at most; the rest are counted. */
const MAX_WARNINGS = 20;

export interface ObjectRefusal {
  oid: string;
  problem: FsckProblem;
}

export class ObjectChecks {
  refusal: ObjectRefusal | null = null;
  readonly warnings: string[] = [];
  private warned = 0;
  private readonly gitmodules = new Set<string>();
  /** Objects over MAX_OBJECT_BYTES: they refuse the push, with their paths (service/oversized.ts). */
  readonly oversized: Oversized[] = [];

  /**
   * `errorsRefuse`: whether git's error-level problems refuse the push (OBJECT_CHECKS=refuse);
   * `bigBytes`: a .gitmodules blob above it is not read (BIG_OBJECT_BYTES).
   */
  constructor(
    private readonly errorsRefuse: boolean,
    private readonly bigBytes = Infinity,
  ) {}

  /** Notes an object over the size limit. */
  tooLarge(object: Oversized): void {
    this.oversized.push(object);
  }

  add(oid: string, object: GitObject): void {
    if (this.refusal) return;
    if (object.type === OBJ_COMMIT) this.judge(oid, checkCommit(object.data));
    else if (object.type === OBJ_TAG) this.judge(oid, checkTag(object.data));
    else if (object.type === OBJ_TREE) {
      const tree = checkTree(object.data);
      this.judge(oid, tree.problems);
      for (const blob of tree.gitmodules) this.gitmodules.add(blob);
    }
  }

  /** Checks the .gitmodules blobs the pack's trees name (in the pack, or stored before it). */
  async finish(store: ObjectStore, ownPack: number): Promise<ObjectRefusal | null> {
    for (const oid of this.gitmodules) {
      if (this.refusal) break;
      // git refuses a .gitmodules larger than its big-file threshold too, without reading it.
      if ((store.locate(oid, ownPack)?.size ?? 0) > this.bigBytes) {
        this.judge(oid, [{ id: "gitmodulesLarge", severity: "error", message: "the .gitmodules file is too large to parse" }]);
        continue;
      }
      const object = await store.read(oid, ownPack);
      if (!object) continue; // connectivity answers for missing objects
      if (object.type !== OBJ_BLOB) this.judge(oid, [{ id: "gitmodulesBlob", severity: "error", message: "a .gitmodules entry is not a blob" }]);
      else this.judge(oid, checkGitmodules(object.data));
    }
    return this.refusal;
  }

  /** The warning lines to show the client. */
  report(): string[] {
    return this.warned > this.warnings.length ? [...this.warnings, `warning: ${this.warned - this.warnings.length} more warnings not shown`] : this.warnings;
  }

  private judge(oid: string, problems: FsckProblem[]): void {
    for (const problem of problems) {
      if (problem.severity === "info") continue;
      if (isStructural(problem.id) || (problem.severity === "error" && this.errorsRefuse)) {
        this.refusal = { oid, problem };
        return;
      }
      if (++this.warned <= MAX_WARNINGS) this.warnings.push(`warning: object ${oid}: ${problem.id}: ${problem.message}`);
    }
  }
}
