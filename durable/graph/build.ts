// Brings the commit graph (commit-graph.ts) up to date with the refs: every stored commit reachable
// from a ref tip that has no row yet gets one, parents before children (a generation needs its
// parents'), so that a run cut short leaves only whole rows and the next run goes on from them. Runs
// in housekeeping, after pushes; reads give way as the walk goes (pacing.ts).
import { parseCommit } from "../pack/parse-object";
import { OBJ_COMMIT } from "../pack/types";
import { Pacer, WALK_OBJECTS } from "../pacing";
import type { Repository } from "../repository";
import { bloomFilter } from "./bloom";
import { changedPaths } from "./changed-paths";
import type { CommitGraph, GraphCommit } from "./commit-graph";
import { metaGet, metaSet } from "../store/meta";

/** Rows written per statement batch. */
const FLUSH_ROWS = 128;

interface Known {
  generation: number;
  tree: string | null;
}

/** The commit a ref's target names (a tag is peeled), or null when it is no stored commit. */
async function tipCommit(repo: Repository, oid: string): Promise<string | null> {
  const target = (await repo.peel(oid)) ?? oid;
  return repo.store.locate(target)?.type === OBJ_COMMIT ? target : null;
}

/** The ref tips that have no row in the graph yet. */
export async function missingTips(repo: Repository): Promise<string[]> {
  const tips = new Set<string>();
  for (const oid of repo.refs.all().values()) {
    const tip = await tipCommit(repo, oid);
    if (tip && !repo.graph.get(tip)) tips.add(tip);
  }
  return [...tips];
}

/** Whether a ref changed since the last complete run: one read, where a look at every tip (missingTips) is one per ref. */
export function graphBehind(repo: Repository): boolean {
  return repo.refs.lastSeq() > Number(metaGet(repo.sql, "graph_seq") ?? -1);
}

/**
 * The graph for an object walk (walk/enumerate.ts) once a run has completed, so that most commits have
 * a row; before that, null: each commit would cost a query that finds nothing.
 */
export function graphFor(repo: Repository): CommitGraph | null {
  return metaGet(repo.sql, "graph_seq") === undefined ? null : repo.graph;
}

const running = new WeakMap<Repository, Promise<number>>();

/**
 * Adds a row for every commit reachable from the refs that lacks one; returns how many were added.
 * One run at a time per repository: a second caller waits for the run under way.
 */
export function buildCommitGraph(repo: Repository): Promise<number> {
  let run = running.get(repo);
  if (!run) {
    run = build(repo).finally(() => running.delete(repo));
    running.set(repo, run);
  }
  return run;
}

async function build(repo: Repository): Promise<number> {
  const seq = repo.refs.lastSeq();
  const known = new Map<string, Known>();
  const pending = new Map<string, Omit<GraphCommit, "generation" | "bloom">>();
  const rows: GraphCommit[] = [];
  let added = 0;
  const pacer = new Pacer(WALK_OBJECTS);
  const lookup = (oid: string): Known | undefined => {
    let k = known.get(oid);
    if (!k) {
      const row = repo.graph.get(oid);
      if (row) known.set(oid, (k = { generation: row.generation, tree: row.tree }));
    }
    return k;
  };
  const stack = await missingTips(repo);
  while (stack.length > 0) {
    const oid = stack[stack.length - 1]!;
    if (lookup(oid)) {
      stack.pop();
      continue;
    }
    let node = pending.get(oid);
    if (!node) {
      await pacer.step();
      const object = await repo.store.read(oid);
      if (object?.type !== OBJ_COMMIT) {
        // Beyond a shallow boundary: not stored, and counted as generation 0.
        known.set(oid, { generation: 0, tree: null });
        stack.pop();
        continue;
      }
      const commit = parseCommit(object.data);
      node = { oid, tree: commit.tree, parents: commit.parents, time: commit.time };
      pending.set(oid, node);
    }
    const waiting = node.parents.filter((p) => !lookup(p));
    if (waiting.length > 0) {
      stack.push(...waiting);
      continue;
    }
    stack.pop();
    pending.delete(oid);
    const parents = node.parents.map((p) => lookup(p)!);
    const generation = 1 + Math.max(0, ...parents.map((p) => p.generation));
    // A root commit's filter holds every path; one whose first parent is not stored gets none.
    const first = parents[0];
    const paths = first && first.tree === null ? null : await changedPaths(repo.store, first?.tree ?? null, node.tree);
    rows.push({ ...node, generation, bloom: paths && bloomFilter(paths) });
    known.set(oid, { generation, tree: node.tree });
    await pacer.step();
    if (rows.length >= FLUSH_ROWS) {
      repo.graph.insert(rows.splice(0));
      added += FLUSH_ROWS;
    }
  }
  added += rows.length;
  repo.graph.insert(rows);
  metaSet(repo.sql, "graph_seq", String(seq));
  return added;
}
