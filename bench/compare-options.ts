// Command-line flags of the comparison benchmark (bench/compare.ts) and the operations it can time.
import { parseArgs } from "node:util";
import { SYNTHETIC_NAMES, type SyntheticName } from "./corpus-synthetic";

/** The operations in the order of the table. */
export const OPERATIONS = {
  push: "full push (--mirror)",
  "push-steps": "full push in pushes of ≤ 100 MB",
  housekeeping: "housekeeping after the full push (C git: repack -a -d, commit-graph write)",
  clone: "full clone (--bare)",
  "clone-rewound": "full clone after a force push",
  "ls-remote": "ls-remote",
  "cold-start": "ls-remote, cold (ours: the worker just restarted)",
  "push-inc": "incremental push (1 commit)",
  "fetch-inc": "incremental fetch (1 commit)",
  shallow: "clone --depth 1",
  "clone-single-branch": "clone --single-branch",
  "clone-blobless": "clone --filter=blob:none",
  "clone-treeless": "clone --filter=tree:0",
  "reads-idle": "ls-remote of an idle repository: median",
  "reads-during": "ls-remote during a full push: slowest",
  "reads-during-median": "ls-remote during a full push: median",
  "reads-during-clone": "ls-remote during a full clone: slowest",
  "reads-during-clone-median": "ls-remote during a full clone: median",
  "reads-during-repack": "ls-remote during a repack: slowest",
  "reads-during-repack-median": "ls-remote during a repack: median",
  "branch-idle": "one-branch clone of an idle repository: median",
  "branch-during": "one-branch clone during a full push: slowest",
  "branch-during-median": "one-branch clone during a full push: median",
  "branch-during-clone": "one-branch clone during a full clone: slowest",
  "branch-during-clone-median": "one-branch clone during a full clone: median",
  "branch-during-repack": "one-branch clone during a repack: slowest",
  "branch-during-repack-median": "one-branch clone during a repack: median",
} as const;

export type OperationName = keyof typeof OPERATIONS;

export interface Options {
  synthetic: SyntheticName[];
  /** Paths of real repositories, bare or not. */
  repos: string[];
  runs: number;
  only: OperationName[];
  maxPushBytes: number;
}

const USAGE = `usage: npm run bench -- [--quick] [--repo PATH]... [--runs N] [--only ${Object.keys(OPERATIONS).join(",")}] [--max-push-bytes N]

  --quick             the small synthetic corpus only, one run of each operation
  --synthetic NAMES   comma-separated synthetic corpora (${SYNTHETIC_NAMES.join(", ")}; default all, none with "none")
  --repo PATH         also benchmark this repository's branches and tags (repeatable)
  --runs N            runs per operation and server; the table shows the median (default 3, 1 with --quick)
  --only OPS          comma-separated operations to time (default: all)
  --max-push-bytes N  MAX_PUSH_BYTES of our worker (default 500000000)`;

function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, not ${JSON.stringify(value)}\n${USAGE}`);
  return n;
}

function operations(list: string): OperationName[] {
  const names = list.split(",").map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(name in OPERATIONS));
  if (unknown.length > 0 || names.length === 0) throw new Error(`--only: unknown operation(s) ${unknown.join(", ")}\n${USAGE}`);
  return (Object.keys(OPERATIONS) as OperationName[]).filter((name) => names.includes(name));
}

function synthetics(list: string): SyntheticName[] {
  if (list === "none") return [];
  const names = list.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !(SYNTHETIC_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--synthetic: unknown corpus(es) ${unknown.join(", ")}\n${USAGE}`);
  return names as SyntheticName[];
}

/** The options, or undefined when --help was asked for (the usage is printed). */
export function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: "boolean", default: false },
      repo: { type: "string", multiple: true, default: [] },
      runs: { type: "string" },
      only: { type: "string" },
      synthetic: { type: "string" },
      "max-push-bytes": { type: "string", default: "500000000" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  return {
    synthetic: values.synthetic !== undefined ? synthetics(values.synthetic) : values.quick ? ["small"] : [...SYNTHETIC_NAMES],
    repos: values.repo,
    runs: values.runs === undefined ? (values.quick ? 1 : 3) : positiveInteger("--runs", values.runs),
    only: values.only === undefined ? (Object.keys(OPERATIONS) as OperationName[]) : operations(values.only),
    maxPushBytes: positiveInteger("--max-push-bytes", values["max-push-bytes"]),
  };
}
