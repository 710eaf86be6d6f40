// `npm run bench:lfs`: one Git LFS object of --mib MiB (default 200) uploaded and downloaded through
// the worker, as git-lfs does it (batch, PUT, verify; batch, GET), against a plain PUT and GET of the
// same bytes through a Worker that only moves them to and from the same local R2 (lfs/plain-r2-worker.ts),
// both under wrangler dev in the same run. curl is the client on both sides. Prints the median of
// --runs runs (default 3), the ratio, the throughput and each isolate's peak memory (heap + buffers).
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { IsolateMemory } from "./compare-isolate";
import { Random } from "./harness/random";
import { startWorker, type WorkerServer } from "./harness/server";
import { tmpDir } from "./harness/tmp";
import { runMain } from "./harness/main";

const run = promisify(execFile);
const MiB = 1024 * 1024;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!(value > 0)) throw new Error(`--${name} takes a positive number`);
  return value;
}

async function writeRandomFile(path: string, bytes: number): Promise<string> {
  const out = createWriteStream(path);
  const random = new Random(42);
  const hash = createHash("sha256");
  for (let left = bytes; left > 0; left -= MiB) {
    const chunk = random.bytes(Math.min(MiB, left));
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return hash.digest("hex");
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** curl with `args`; its output goes to /dev/null unless an -o in `args` says otherwise. */
async function curl(...args: string[]): Promise<void> {
  await run("curl", ["-sS", "-f", ...(args.includes("-o") ? [] : ["-o", "/dev/null"]), ...args], { maxBuffer: 1 << 20 });
}

async function lfsJson(url: string, body: unknown): Promise<any> {
  const res = await fetch(url, { method: "POST", headers: { Accept: "application/vnd.git-lfs+json", "Content-Type": "application/vnd.git-lfs+json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

interface Measured {
  seconds: number;
  peak: number | undefined;
}

/** Times `work` while sampling `server`'s isolate. */
async function measure(memory: IsolateMemory, work: () => Promise<void>): Promise<Measured> {
  const stop = memory.samplePeak();
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  return { seconds, peak: (await stop()).peak };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mib = (bytes: number | undefined) => (bytes === undefined ? "n/a" : `${(bytes / MiB).toFixed(1)} MiB`);

async function main(): Promise<void> {
  const size = option("mib", 200) * MiB;
  const runs = option("runs", 3);
  const root = await tmpDir("bench-lfs-");
  const servers: WorkerServer[] = [];
  try {
    console.error(`writing ${size / MiB} MiB of random bytes...`);
    const file = join(root.path, "object.bin");
    const [oid, lfs, plain] = await Promise.all([
      writeRandomFile(file, size),
      startWorker(),
      startWorker({ config: fileURLToPath(new URL("./lfs/plain-r2.toml", import.meta.url)) }),
    ]);
    servers.push(lfs, plain);
    const lfsMemory = await IsolateMemory.connect(lfs.inspectorPort);
    const plainMemory = await IsolateMemory.connect(plain.inspectorPort);
    const results: Record<string, Measured[]> = { "lfs upload": [], "plain PUT": [], "lfs download": [], "plain GET": [] };
    const downloaded = join(root.path, "downloaded.bin");
    for (let i = 0; i < runs; i++) {
      const base = `${lfs.url}/bench/run${i}.git/info/lfs`;
      const object = { oid, size };
      results["lfs upload"]!.push(
        await measure(lfsMemory, async () => {
          const answer = await lfsJson(`${base}/objects/batch`, { operation: "upload", transfers: ["basic"], objects: [object] });
          const { upload, verify } = answer.objects[0].actions;
          await curl("-T", file, "-H", "Content-Type: application/octet-stream", upload.href);
          await lfsJson(verify.href, object);
        }),
      );
      results["plain PUT"]!.push(await measure(plainMemory, () => curl("-T", file, `${plain.url}/plain/run${i}`)));
      results["lfs download"]!.push(
        await measure(lfsMemory, async () => {
          const answer = await lfsJson(`${base}/objects/batch`, { operation: "download", transfers: ["basic"], objects: [object] });
          await curl("-o", downloaded, answer.objects[0].actions.download.href);
        }),
      );
      if ((await sha256File(downloaded)) !== oid) throw new Error(`run ${i}: the object downloaded through LFS does not hash to ${oid}`);
      results["plain GET"]!.push(await measure(plainMemory, () => curl("-o", downloaded, `${plain.url}/plain/run${i}`)));
      if ((await sha256File(downloaded)) !== oid) throw new Error(`run ${i}: the object downloaded plainly does not hash to ${oid}`);
    }
    const row = (op: string, baseline: string) => {
      const ours = median(results[op]!.map((m) => m.seconds));
      const theirs = median(results[baseline]!.map((m) => m.seconds));
      const peak = (name: string) => Math.max(...results[name]!.map((m) => m.peak ?? 0));
      return `| ${op} | ${(ours / theirs).toFixed(2)} | ${(size / MiB / ours).toFixed(0)} MiB/s | ${(size / MiB / theirs).toFixed(0)} MiB/s | ${mib(peak(op))} | ${mib(peak(baseline))} |`;
    };
    console.log(`One ${size / MiB} MiB object, median of ${runs} runs; ratio = LFS time / plain R2 time (same machine, same run).\n`);
    console.log("| operation | ratio to plain R2 | LFS throughput | plain throughput | LFS isolate peak | plain isolate peak |");
    console.log("|---|---|---|---|---|---|");
    console.log(row("lfs upload", "plain PUT"));
    console.log(row("lfs download", "plain GET"));
    lfsMemory.close();
    plainMemory.close();
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await root.cleanup();
  }
}

runMain(main);
