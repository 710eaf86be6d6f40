// Serves one HTTP request with a CGI program (RFC 3875): the request body is streamed to its stdin,
// the header block of its output becomes the response status and headers, the rest is streamed back.
import { spawn } from "node:child_process";
import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Where the header block ends: the blank line after it, CRLF or bare LF style. */
function headerEnd(buf: Buffer): { headers: number; body: number } | undefined {
  const crlf = buf.indexOf("\r\n\r\n");
  const lf = buf.indexOf("\n\n");
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headers: crlf, body: crlf + 4 };
  if (lf >= 0) return { headers: lf, body: lf + 2 };
  return undefined;
}

function writeHead(res: ServerResponse, block: string): void {
  let status = 200;
  let reason: string | undefined;
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") {
      const match = /^(\d{3})\s*(.*)$/.exec(value);
      if (match) [status, reason] = [Number(match[1]), match[2] || undefined];
    } else {
      const previous = res.getHeader(name);
      res.setHeader(name, previous === undefined ? value : [...[previous].flat().map(String), value]);
    }
  }
  res.writeHead(status, reason);
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/**
 * Runs `program` with the CGI environment `env` for `req` and writes its answer to `res`. Answers 502
 * with the program's stderr if it exits before sending its headers. Resolves when the response is done.
 */
export async function serveCgi(
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const child = spawn(program, args, { env, stdio: ["pipe", "pipe", "pipe"] });
  const exited = once(child, "close");
  exited.catch(() => {}); // a spawn failure is reported when `exited` is awaited below
  const stderr: Buffer[] = [];
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  child.stdin.on("error", () => {}); // the program may answer without reading the whole body
  req.pipe(child.stdin);
  res.on("close", () => {
    if (!res.writableFinished) child.kill(); // the client went away
  });

  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    if (res.destroyed) break;
    let body = chunk;
    if (head) {
      head = Buffer.concat([head, chunk]);
      const end = headerEnd(head);
      if (!end) continue;
      writeHead(res, head.subarray(0, end.headers).toString("latin1"));
      body = head.subarray(end.body);
      head = undefined;
    }
    if (body.length > 0 && !res.write(body)) await drained(res);
  }
  const [code, signal] = await exited;
  if (head && !res.headersSent) {
    res.writeHead(502, { "content-type": "text/plain" });
    res.end(`${program} exited (${code ?? signal}) before sending headers\n${Buffer.concat(stderr).toString()}`);
  } else {
    res.end();
  }
}
