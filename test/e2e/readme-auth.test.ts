// The README's access-control examples, run as written: the server started locked as the README says
// (`npm start -- --var AUTH_MODE:token --var ADMIN_TOKEN:change-me`), then the shell blocks of its
// "Tokens" and "Visibility and protection" sections, with only the port and the placeholder token id
// replaced, and git given the minted token; then its "Repositories", "Imports and mirrors" and "Webhooks" sections.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { git, gitFails } from "../../bench/harness/git";
import { startWorker, type RunningServer } from "../../bench/harness/server";
import { tmpDir, type TmpDir } from "../../bench/harness/tmp";
import { commitFile } from "../support/fixtures";
import { readmeBlock } from "../support/readme";
import { targetName } from "../support/target";

const run = promisify(execFile);
let server: RunningServer;
let root: TmpDir;

beforeAll(async () => {
  if (targetName() !== "worker") return;
  root = await tmpDir("readme-auth-");
  server = await startWorker({ npmStart: true, vars: { AUTH_MODE: "token", ADMIN_TOKEN: "change-me" } });
});
afterAll(async () => {
  await server?.stop();
  await root?.cleanup();
});

const block = (heading: string) => readmeBlock(heading, new URL(server.url).host);

const sh = async (script: string) => (await run("bash", ["-c", script])).stdout;

it.skipIf(targetName() !== "worker")("runs the README's token, git and settings examples as written", async () => {
  const tokens = await block("### Tokens");
  const [setup, mintLine, listLine, deleteLine] = tokens.filter((l) => l.trim() && !l.startsWith("#"));
  const minted = JSON.parse(await sh(`${setup}\n${mintLine}`)) as { id: string; token: string; scopes: string[] };
  expect(minted.token).toMatch(/^gow_/);
  expect(minted.scopes).toEqual(["write"]);
  const listed = await sh(`${setup}\n${listLine}`);
  expect(listed).toContain(minted.id);
  expect(listed).not.toContain(minted.token);

  const work = `${root.path}/work`;
  await git(["init", "--quiet", "-b", "main", work], { cwd: root.path });
  await commitFile(work, "README.md", "# demo\n", "First");
  const withToken = `http://x:${minted.token}@${new URL(server.url).host}/alice/demo.git`;
  await git(["push", "--quiet", withToken, "main"], { cwd: work });

  const settings = (await block("### Visibility and protection")).filter((l) => l.trim());
  const out = await sh(`ADMIN=change-me\n${settings.join("\n")}`);
  expect(out).toContain('"visibility":"public"');
  expect(out).toContain('"events":[');
  expect((await fetch(`${server.url}/alice/demo.git/info/refs?service=git-upload-pack`)).status).toBe(200);

  const deleted = await sh(`${setup}\n${deleteLine!.replace("3f2a...", minted.id).replace(/\s*#.*$/, "")} -o /dev/null -w "%{http_code}"`);
  expect(deleted).toBe("204");
  await commitFile(work, "README.md", "# demo\nmore\n", "Second");
  const { stderr } = await gitFails(["push", withToken, "main"], { cwd: work, env: { GIT_TERMINAL_PROMPT: "0" } });
  expect(stderr).toMatch(/wrong, expired or revoked/);
});

it.skipIf(targetName() !== "worker")("runs the README's repository and webhook examples as written", async () => {
  const repos = (await block("## Repositories")).filter((l) => l.trim());
  const out = await sh(repos.map((l) => `${l}; echo`).join("\n"));
  expect(out).toContain('"name":"alice/site","visibility":"public","description":"The web site"');
  expect(out).toContain('"name":"bob/site"');
  expect(out).toContain('"deletedAt":');
  expect(out).toMatch(/"kind":"undeleted".*"kind":"deleted".*"kind":"created"/);
  expect((await fetch(`${server.url}/alice/site.git/info/refs?service=git-upload-pack`)).status).toBe(200);

  const imports = (await block("### Imports and mirrors")).filter((l) => l.trim());
  const imported = await sh([repos[0], ...imports.map((l) => `${l.replace(/\s*#.*$/, "")}; echo`)].join("\n"));
  expect(imported).toContain('"name":"alice/upstream"');
  expect(imported).toContain('"mirrorUrl":"https://git.example.com/team/upstream.git"');
  expect(imported).toMatch(/"state":"(queued|running|failed)","url":"https:\/\/git.example.com\/team\/upstream.git","mirror":true/);

  const hooks = (await block("## Webhooks")).filter((l) => l.trim());
  const listed = await sh([repos[0], ...hooks].join("\n"));
  expect(listed).toContain('"url":"https://ci.example.com/hook"');
  expect(listed).not.toContain("s3cret");
});
