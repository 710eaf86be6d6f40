// Starts the servers the end-to-end suite talks to: our worker under `wrangler dev`, and C git's own
// `git http-backend` (the reference the suite is validated against) behind the same URL scheme.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo, type Server } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { serveCgi } from "./cgi";
import { git, gitEnv, initBare } from "./git";
import { tmpDir } from "./tmp";

export interface RunningServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234. */
  url: string;
  stop(): Promise<void>;
}

export interface WorkerServer extends RunningServer {
  /** The port of the worker's V8 inspector (Chrome DevTools protocol), on 127.0.0.1. */
  inspectorPort: number;
  /** What wrangler printed so far (the last 64 KiB, colours removed): its request lines and the server's log lines. */
  output(): string;
  /** Every operation line the server has logged so far (durable/observe/operation.ts), parsed, oldest first. */
  operations(): Record<string, unknown>[];
}

export interface CgitServer extends RunningServer {
  /** GIT_PROJECT_ROOT: repositories live at <root>/<owner>/<repo>.git. */
  root: string;
}

const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const STARTUP_TIMEOUT_MS = 90_000;
const OUTPUT_KEPT = 64 * 1024;
const ANSI_ESCAPE = /\x1b\[[0-9;]*m/g;

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** A port that was free a moment ago (the OS picks it for a listener on port 0, which is then closed). */
async function freePort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // the group is gone already
  }
}

/** Polls GET `url` until anything answers; fails early if wrangler exits or cannot build the worker. */
async function waitForHttp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`wrangler dev exited (${child.exitCode ?? child.signalCode}) before answering ${url}`);
    }
    // In watch mode wrangler waits for a fix instead of exiting.
    if (/\[ERROR\] Build failed/.test(output())) throw new Error("wrangler dev could not build the worker");
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`wrangler dev did not answer GET ${url} within ${STARTUP_TIMEOUT_MS / 1000} s`);
    await sleep(250);
  }
}

/**
 * Runs the worker of this project under `wrangler dev` on a free port with fresh local state (Durable
 * Objects, R2, queues) and resolves once GET / answers. `vars` override wrangler.toml's [vars].
 * With `npmStart`, it runs what the README shows instead, `npm start -- --port N --var K:V`, with
 * its own fresh state (`--persist-to`) rather than the project's .wrangler/, so that runs do not meet.
 * `config` runs another wrangler config instead of the project's (the LFS bench's plain R2 Worker);
 * `persistTo` keeps the local state in a folder of the caller's, kept on stop, so that a restart finds
 * its Durable Objects again (the browse bench's cold starts).
 * Set E2E_VERBOSE=1 to see wrangler's output (request log, worker console) as it runs.
 */
export async function startWorker(opts: { vars?: Record<string, string>; npmStart?: boolean; config?: string; persistTo?: string } = {}): Promise<WorkerServer> {
  const port = await freePort();
  const inspectorPort = await freePort();
  const state = opts.persistTo ? { path: opts.persistTo, cleanup: async () => {} } : await tmpDir("wrangler-state-");
  // Open mode unless the caller says otherwise (wrangler.toml's default is token).
  const vars = Object.entries({ AUTH_MODE: "open", ...opts.vars }).flatMap(([key, value]) => ["--var", `${key}:${value}`]);
  const [command, args] = opts.npmStart
    ? ["npm", ["start", "--", "--port", String(port), "--persist-to", state.path, ...vars]]
    : [join(PROJECT_ROOT, "node_modules/.bin/wrangler"), ["dev", ...(opts.config ? ["--config", opts.config] : []), "--port", String(port), "--inspector-port", String(inspectorPort), "--persist-to", state.path, ...vars]];
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    detached: true, // its own process group, so that stop() also reaches workerd
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_SEND_ERROR_REPORTS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
    },
  });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  let output = "";
  const operations: Record<string, unknown>[] = [];
  const partial = { stdout: "", stderr: "" };
  const record = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
    const text = chunk.toString().replace(ANSI_ESCAPE, "");
    output = (output + text).slice(-OUTPUT_KEPT);
    if (process.env.E2E_VERBOSE) process.stderr.write(chunk);
    // wrangler puts "✘ [ERROR] " before the JSON of warn and error lines.
    const lines = (partial[stream] + text).split("\n");
    partial[stream] = lines.pop()!;
    for (const line of lines) {
      const at = line.indexOf('{"time"');
      if (at < 0) continue;
      const entry = JSON.parse(line.slice(at)) as Record<string, unknown>;
      if (entry.event === "operation") operations.push(entry);
    }
  };
  child.stdout!.on("data", record("stdout"));
  child.stderr!.on("data", record("stderr"));

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (child.pid !== undefined) killGroup(child, "SIGKILL"); // whatever wrangler left behind in its group
    await state.cleanup();
  };
  try {
    await waitForHttp(url, child, () => output);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- wrangler output ---\n${output}`);
  }
  return { url, stop, inspectorPort, output: () => output, operations: () => operations };
}

/** /{owner}/{repo}.git/{rest}; names are kept to a safe alphabet so they map directly onto directories. */
const REPO_PATH = /^\/([\w-][\w.-]*)\/([\w-][\w.-]*\.git)(\/.*)?$/;

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** The CGI meta-variables git http-backend reads (see git-http-backend(1), "ENVIRONMENT"). */
function cgiVariables(req: IncomingMessage, url: URL, projectRoot: string): Record<string, string> {
  const vars: Record<string, string> = {
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: "1",
    GATEWAY_INTERFACE: "CGI/1.1",
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REQUEST_METHOD: req.method ?? "GET",
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REMOTE_ADDR: req.socket.remoteAddress ?? "",
  };
  const optional: [string, string | undefined][] = [
    ["CONTENT_TYPE", headerValue(req, "content-type")],
    ["CONTENT_LENGTH", headerValue(req, "content-length")],
    ["HTTP_CONTENT_ENCODING", headerValue(req, "content-encoding")],
    ["GIT_PROTOCOL", headerValue(req, "git-protocol")],
  ];
  const auth = /^Basic\s+(\S+)/i.exec(headerValue(req, "authorization") ?? "");
  if (auth) optional.push(["REMOTE_USER", Buffer.from(auth[1]!, "base64").toString().split(":")[0]]);
  for (const [name, value] of optional) if (value) vars[name] = value;
  return vars;
}

function notFound(res: ServerResponse, message: string): void {
  res.writeHead(404, { "content-type": "text/plain" });
  res.end(`${message}\n`);
}

/**
 * Serves C git's `git http-backend` over HTTP with our server's URL scheme, /{owner}/{repo}.git/...:
 * the first push (GET info/refs?service=git-receive-pack) to a missing repository creates it (bare,
 * HEAD -> main, pushes enabled, non-fast-forward updates refused if asked); anything else for a missing
 * repository is answered 404 "repository not found".
 */
export async function startCgit(opts: { denyNonFastForwards?: boolean } = {}): Promise<CgitServer> {
  const root = await tmpDir("cgit-root-");
  const creating = new Map<string, Promise<void>>();

  const createRepo = async (dir: string) => {
    await initBare(dir);
    await git(["config", "http.receivepack", "true"], { cwd: dir });
    // Partial clone, as this server serves it: filters, and lazy fetches of any object by id.
    await git(["config", "uploadpack.allowFilter", "true"], { cwd: dir });
    await git(["config", "uploadpack.allowAnySHA1InWant", "true"], { cwd: dir });
    if (opts.denyNonFastForwards) await git(["config", "receive.denyNonFastForwards", "true"], { cwd: dir });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://cgit.invalid");
    const match = REPO_PATH.exec(url.pathname);
    if (!match) return notFound(res, "not found");
    const dir = join(root.path, match[1]!, match[2]!);
    await creating.get(dir);
    if (!existsSync(dir)) {
      const firstPush = req.method === "GET" && match[3] === "/info/refs" && url.searchParams.get("service") === "git-receive-pack";
      if (!firstPush) return notFound(res, "repository not found");
      const created = createRepo(dir);
      creating.set(dir, created); // requests arriving meanwhile wait for it above
      try {
        await created;
      } finally {
        creating.delete(dir);
      }
    }
    await serveCgi("git", ["http-backend"], gitEnv(cgiVariables(req, url, root.path)), req, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`${error.stack ?? error}\n`);
    });
  });
  server.requestTimeout = 0; // large pushes (benchmarks) may take longer than Node's default 5 minutes
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    root: root.path,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await root.cleanup();
    },
  };
}
