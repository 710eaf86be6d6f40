// Runs the git CLI in an isolated environment: its own HOME and global config, no system config,
// no prompts, C locale (tests match git's English messages) and no proxy for the local servers.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tmpDir } from "./tmp";

export interface GitOptions {
  cwd: string;
  env?: Record<string, string>;
  input?: string | Uint8Array;
}

export interface GitOutput {
  stdout: string;
  stderr: string;
}

export interface GitFailure extends GitOutput {
  code: number;
}

// protocol.version is deliberately absent: git's default (v2 on 2.39) applies unless a test passes -c protocol.version=N.
const GLOBAL_CONFIG = `[user]
\tname = E2E Tester
\temail = e2e@example.com
[init]
\tdefaultBranch = main
[gc]
\tauto = 0
[maintenance]
\tauto = false
[advice]
\tdetachedHead = false
`;

let home: string | undefined;

/**
 * The HOME holding the global config: one directory per config text (its hash in the name), shared by
 * all test processes and written atomically once, so nothing needs removing when a process ends.
 */
function isolatedHome(): string {
  if (!home) {
    const hash = createHash("sha1").update(GLOBAL_CONFIG).digest("hex").slice(0, 12);
    const dir = join(tmpdir(), `git-e2e-home-${hash}`);
    const config = join(dir, ".gitconfig");
    if (!existsSync(config)) {
      mkdirSync(dir, { recursive: true });
      const partial = `${config}.${process.pid}`;
      writeFileSync(partial, GLOBAL_CONFIG);
      renameSync(partial, config);
    }
    home = dir;
  }
  return home;
}

/** The environment every git process of the harness runs with; inherited GIT_* variables are dropped. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("GIT_") && !/^(http|https|all)_proxy$/i.test(key)) env[key] = value;
  }
  const dir = isolatedHome();
  return {
    ...env,
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, ".config"),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    LC_ALL: "C",
    LANGUAGE: "C",
    ...extra,
  };
}

function run(args: string[], opts: GitOptions): Promise<GitFailure> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      args,
      { cwd: opts.cwd, env: gitEnv(opts.env), maxBuffer: 1 << 30, encoding: "utf8" },
      (error, stdout, stderr) => {
        // A string code is a spawn or buffer failure; a null code means the process was killed by a signal.
        if (error && typeof error.code === "string") reject(error);
        else resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
      },
    );
    child.stdin?.on("error", () => {}); // git may exit before reading its input
    child.stdin?.end(opts.input ?? "");
  });
}

function report(args: string[], result: GitFailure): string {
  return `git ${args.join(" ")} exited with ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

/** Runs git and resolves with its output; rejects when it exits non-zero. */
export async function git(args: string[], opts: GitOptions): Promise<GitOutput> {
  const result = await run(args, opts);
  if (result.code !== 0) throw new Error(report(args, result));
  return { stdout: result.stdout, stderr: result.stderr };
}

/** Runs a git command that is expected to fail; rejects when it succeeds. */
export async function gitFails(args: string[], opts: GitOptions): Promise<GitFailure> {
  const result = await run(args, opts);
  if (result.code === 0) throw new Error(`expected failure, but ${report(args, result)}`);
  return result;
}

/** Runs git like git() and also returns the protocol packets it exchanged (GIT_TRACE_PACKET), to tell which protocol version the server spoke. */
export async function gitTracingPackets(args: string[], opts: GitOptions): Promise<GitOutput & { packets: string }> {
  const trace = await tmpDir("git-trace-");
  try {
    const file = join(trace.path, "packets");
    const output = await git(args, { ...opts, env: { ...opts.env, GIT_TRACE_PACKET: file } });
    return { ...output, packets: await readFile(file, "utf8") };
  } finally {
    await trace.cleanup();
  }
}

/** `git fsck --full --strict`: every object reachable and well-formed; rejects with the findings otherwise. */
export async function fsck(dir: string): Promise<void> {
  await git(["fsck", "--full", "--strict", "--no-progress"], { cwd: dir });
}

/** The object id `rev` names in the repository at `dir`. */
export async function revParse(dir: string, rev: string): Promise<string> {
  return (await git(["rev-parse", "--verify", "--end-of-options", rev], { cwd: dir })).stdout.trim();
}

/** `-c protocol.version=N` when a protocol is asked for, nothing (git's default) otherwise. */
export function protocolArgs(protocol?: 0 | 1 | 2): string[] {
  return protocol === undefined ? [] : ["-c", `protocol.version=${protocol}`];
}

/** The refs `git ls-remote` shows for `url`, as ref name (peeled tags end in ^{}) to object id, in its order. */
export async function lsRemote(url: string, opts: { cwd: string; protocol?: 0 | 1 | 2 }): Promise<Map<string, string>> {
  const { stdout } = await git([...protocolArgs(opts.protocol), "ls-remote", url], { cwd: opts.cwd });
  const refs = new Map<string, string>();
  for (const line of stdout.split("\n").filter(Boolean)) {
    const [oid, name] = line.split("\t");
    refs.set(name!, oid!);
  }
  return refs;
}

/** Creates an empty bare repository at `dir` (and missing parents) whose HEAD is refs/heads/main. */
export async function initBare(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await git(["init", "--bare", "--quiet", "--initial-branch=main", "."], { cwd: dir });
}

/** The ref name at the end of a forEachRef line. */
export const refName = (line: string) => line.slice(line.lastIndexOf(" ") + 1);

/** "<objectname> <objecttype> <refname>" for each ref under `patterns` (all refs if none), sorted by ref name. */
export async function forEachRef(dir: string, ...patterns: string[]): Promise<string[]> {
  const format = "--format=%(objectname) %(objecttype) %(refname)";
  const { stdout } = await git(["for-each-ref", format, ...patterns], { cwd: dir });
  return stdout
    .split("\n")
    .filter(Boolean)
    .sort((a, b) => (refName(a) < refName(b) ? -1 : refName(a) > refName(b) ? 1 : 0));
}
