// Timing one operation against one server while sampling that server's memory, and repeating it over
// runs with the servers' order alternating, so that neither always runs on a warmer machine.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { costOf, settledLines } from "./compare-cost";
import { samplePeak } from "./compare-memory";
import { OPERATIONS, type OperationName } from "./compare-options";
import type { Side } from "./compare-sides";
import type { Measurement, Row } from "./compare-table";

export function newRow(corpus: string, operation: OperationName): Row {
  return { corpus, operation, runs: { ours: [], cgit: [] } };
}

/** Both servers, ours first in odd runs (1, 3, ...) and C git first in even ones. */
export function sidesInOrder(sides: readonly Side[], run: number): Side[] {
  return run % 2 === 1 ? [...sides] : [...sides].reverse();
}

/**
 * Runs `action` against `side`, records its time and the server's peak memory in `row` if it succeeds,
 * and returns its result. `packTrace`: a file git writes the pack it receives to (GIT_TRACE_PACKFILE,
 * set by the action), whose size is recorded as the bytes sent.
 */
export async function measure<T>(row: Row, side: Side, run: number, action: () => Promise<T>, packTrace?: string): Promise<T> {
  const linesBefore = side.operations?.().length ?? 0;
  const stop = samplePeak(side.processes);
  const stopIsolate = side.isolate?.samplePeak({ live: true });
  const start = performance.now();
  let result: T;
  try {
    result = await action();
  } catch (error) {
    stop();
    await stopIsolate?.();
    throw error;
  }
  const seconds = (performance.now() - start) / 1000;
  const isolate = await stopIsolate?.();
  const measurement: Measurement = { seconds, memory: stop(), isolateBytes: isolate?.peak, isolateLiveBytes: isolate?.live };
  if (packTrace) measurement.packBytes = (await stat(packTrace)).size;
  if (side.operations) measurement.cost = costOf(await settledLines(side.operations, linesBefore));
  row.runs[side.name].push(measurement);
  console.error(`[${row.corpus}] ${OPERATIONS[row.operation]}: ${side.name} run ${run}: ${measurement.seconds.toFixed(3)} s`);
  return result;
}

export interface RepeatOptions<T> {
  runs: number;
  /** Where each run may write: a fresh empty directory, removed after the run. */
  scratchRoot: string;
  /** Untimed, after the timed action: checks its result (called for every run; checks may look at `run`). */
  check?: (side: Side, run: number, result: T, scratch: string) => Promise<void>;
  /** Records the size of the pack received, which the action's git writes to packTracePath(scratch). */
  tracesPack?: boolean;
}

/** Where git writes the pack it receives (GIT_TRACE_PACKFILE) in a run's scratch directory. */
export function packTracePath(scratch: string): string {
  return join(scratch, "received.pack");
}

/** Times `action` `runs` times against each side; returns the row. */
export async function repeat<T>(
  row: Row,
  sides: readonly Side[],
  action: (side: Side, run: number, scratch: string) => Promise<T>,
  opts: RepeatOptions<T>,
): Promise<Row> {
  for (let run = 1; run <= opts.runs; run++) {
    for (const side of sidesInOrder(sides, run)) {
      const scratch = await mkdtemp(join(opts.scratchRoot, `${row.operation}-${side.name}-`));
      try {
        const result = await measure(row, side, run, () => action(side, run, scratch), opts.tracesPack ? packTracePath(scratch) : undefined);
        await opts.check?.(side, run, result, scratch);
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    }
  }
  return row;
}
