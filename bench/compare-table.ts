// The result table of the comparison benchmark, in markdown: per corpus and operation the median time
// of each server, their ratio, each server's peak memory, for clones and fetches that record it the size
// of the pack each server sent, and what one run of ours cost on the platform (1 MB = 10^6 bytes).
import { dollars, type Cost } from "./compare-cost";
import type { MemoryPeak } from "./compare-memory";
import { OPERATIONS, type OperationName } from "./compare-options";
import type { SideName } from "./compare-sides";

export interface Measurement {
  seconds: number;
  memory: MemoryPeak;
  /** Ours: the isolate's peak JS heap in use plus ArrayBuffers (compare-isolate.ts). */
  isolateBytes?: number;
  /** Ours: the highest of those right after a forced full collection: what the isolate holds alive. */
  isolateLiveBytes?: number;
  /** The bytes of the pack the client received, where the operation records them (compare-ops.ts). */
  packBytes?: number;
  /** Ours: SQLite rows and R2 operations, from the server's operation lines (compare-cost.ts). */
  cost?: Cost;
}

export interface Row {
  corpus: string;
  operation: OperationName;
  runs: Record<SideName, Measurement[]>;
}

/** NaN for no values (a run that failed before this server's turn). */
function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function seconds(value: number): string {
  if (Number.isNaN(value)) return "–";
  return value < 10 ? value.toFixed(3) : value.toFixed(1);
}

function megabytes(bytes: number): string {
  const mb = bytes / 1e6;
  return mb < 100 ? mb.toFixed(1) : mb.toFixed(0);
}

/** The highest peak over the runs and, with `withIdle`, "(+the largest peak − idle of a run)"; "–" if no sample saw a process. */
function peak(runs: Measurement[], withIdle: boolean): string {
  const seen = runs.map((run) => run.memory).filter((memory) => memory.peakBytes !== undefined);
  if (seen.length === 0) return "–";
  const absolute = megabytes(Math.max(...seen.map((memory) => memory.peakBytes!)));
  const added = Math.max(...seen.map((memory) => memory.peakBytes! - memory.idleBytes));
  return withIdle ? `${absolute} (+${megabytes(added)})` : absolute;
}

/** The highest isolate peak over the runs and "(the highest live)"; "–" if none was sampled. */
function isolatePeak(runs: Measurement[]): string {
  const seen = runs.flatMap((run) => (run.isolateBytes === undefined ? [] : [run.isolateBytes]));
  const live = runs.flatMap((run) => (run.isolateLiveBytes === undefined ? [] : [run.isolateLiveBytes]));
  if (seen.length === 0) return "–";
  return live.length === 0 ? megabytes(Math.max(...seen)) : `${megabytes(Math.max(...seen))} (${megabytes(Math.max(...live))})`;
}

/** Rows grouped by corpus in the order corpora first appear, each corpus's operations in the order of OPERATIONS. */
function tableOrder(rows: Row[]): Row[] {
  const corpora = [...new Set(rows.map((row) => row.corpus))];
  const operations = Object.keys(OPERATIONS);
  const key = (row: Row) => corpora.indexOf(row.corpus) * operations.length + operations.indexOf(row.operation);
  return [...rows].sort((a, b) => key(a) - key(b));
}

/** "ours / C git (ratio)" of the median pack sizes; "–" where the operation records none. */
function packSizes(row: Row): string {
  const [ours, cgit] = [row.runs.ours, row.runs.cgit].map((runs) => median(runs.flatMap((run) => (run.packBytes === undefined ? [] : [run.packBytes]))));
  if (Number.isNaN(ours) || Number.isNaN(cgit)) return "–";
  const size = (bytes: number) => (bytes < 1e5 ? `${(bytes / 1e3).toFixed(1)} kB` : `${megabytes(bytes)} MB`);
  return `${size(ours)} / ${size(cgit)} (${(ours / cgit).toFixed(2)})`;
}

/** "rows read / written, R2 A / B, $" of the median run by rows read; "–" without lines. */
function costCell(runs: Measurement[]): string {
  const costs = runs.flatMap((run) => (run.cost ? [run.cost] : [])).sort((a, b) => a.rowsRead - b.rowsRead);
  if (costs.length === 0) return "–";
  const cost = costs[costs.length >> 1]!;
  const count = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(0)}k` : String(n));
  return `${count(cost.rowsRead)} / ${count(cost.rowsWritten)}, ${cost.r2ClassA} / ${cost.r2ClassB}, $${dollars(cost).toFixed(6)}`;
}

export function renderTable(rows: Row[]): string {
  const header = ["corpus", "operation", "ours s", "C git s", "ratio", "ours peak MB (Δ idle)", "ours isolate MB (live)", "C git peak MB", "pack sent: ours / C git", "ours rows read / written, R2 A / B, cost"];
  const lines = [header, header.map(() => "---")].map((cells) => `| ${cells.join(" | ")} |`);
  for (const row of tableOrder(rows)) {
    const ours = median(row.runs.ours.map((run) => run.seconds));
    const cgit = median(row.runs.cgit.map((run) => run.seconds));
    const cells = [
      row.corpus,
      OPERATIONS[row.operation],
      seconds(ours),
      seconds(cgit),
      cgit > 0 && !Number.isNaN(ours) ? (ours / cgit).toFixed(2) : "–",
      peak(row.runs.ours, true),
      isolatePeak(row.runs.ours),
      peak(row.runs.cgit, false),
      packSizes(row),
      costCell(row.runs.ours),
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}
