// Peak memory of a server while an operation runs: the summed VmRSS (/proc/<pid>/status) of a set of
// processes, re-selected from the process tree at every sample (every 100 ms), as git forks helpers.
import { readdirSync, readFileSync } from "node:fs";

export const SAMPLE_INTERVAL_MS = 100;

interface ProcessEntry {
  pid: number;
  ppid: number;
  comm: string;
}

/** The contents of a /proc file, or undefined when the process has exited meanwhile. */
function procFile(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "latin1");
  } catch {
    return undefined;
  }
}

function processTable(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procFile(Number(name), "stat");
    if (!stat) continue;
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so split at the last ")".
    const close = stat.lastIndexOf(")");
    const ppid = Number(stat.slice(close + 2).split(" ")[1]);
    entries.push({ pid: Number(name), ppid, comm: stat.slice(stat.indexOf("(") + 1, close) });
  }
  return entries;
}

/** `roots` and every process below them. */
function withDescendants(table: ProcessEntry[], roots: number[]): ProcessEntry[] {
  const children = new Map<number, ProcessEntry[]>();
  for (const entry of table) children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry]);
  const byPid = new Map(table.map((entry) => [entry.pid, entry]));
  const found: ProcessEntry[] = [];
  const queue = roots.flatMap((pid) => byPid.get(pid) ?? []);
  while (queue.length > 0) {
    const entry = queue.pop()!;
    found.push(entry);
    queue.push(...(children.get(entry.pid) ?? []));
  }
  return found;
}

/** Which processes make up a server, given the current process table. */
export type ProcessSelector = (table: ProcessEntry[]) => number[];

/** Processes named `comm` anywhere below this process (e.g. workerd under wrangler). */
export function descendantsNamed(comm: string): ProcessSelector {
  return (table) => withDescendants(table, [process.pid]).filter((entry) => entry.comm === comm).map((entry) => entry.pid);
}

/** The children of this process run as `argv` (compared in full), with everything below them. */
export function childTreesOf(argv: string[]): ProcessSelector {
  const wanted = `${argv.join("\0")}\0`;
  return (table) => {
    const roots = table.filter((entry) => entry.ppid === process.pid && procFile(entry.pid, "cmdline") === wanted);
    return withDescendants(table, roots.map((entry) => entry.pid)).map((entry) => entry.pid);
  };
}

function rssKiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(procFile(pid, "status") ?? "");
  return match ? Number(match[1]) : 0;
}

/** Summed RSS in bytes of the selected processes, and how many had any (an exiting process has none). */
function sample(select: ProcessSelector): { bytes: number; processes: number } {
  const sizes = select(processTable()).map(rssKiB).filter((kib) => kib > 0);
  return { bytes: sizes.reduce((sum, kib) => sum + kib * 1024, 0), processes: sizes.length };
}

export interface MemoryPeak {
  /** Summed RSS just before the operation started. */
  idleBytes: number;
  /** Highest summed RSS seen, idle sample included; undefined if no sample saw any selected process. */
  peakBytes: number | undefined;
}

/** Samples the selected processes from now until the returned function is called, which reports the peak. */
export function samplePeak(select: ProcessSelector): () => MemoryPeak {
  const idle = sample(select);
  let peak = idle.processes > 0 ? idle.bytes : undefined;
  const take = () => {
    const now = sample(select);
    if (now.processes > 0) peak = Math.max(peak ?? 0, now.bytes);
  };
  const timer = setInterval(take, SAMPLE_INTERVAL_MS);
  return () => {
    clearInterval(timer);
    take();
    return { idleBytes: idle.bytes, peakBytes: peak };
  };
}
