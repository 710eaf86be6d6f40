// Mirrors through the Worker's real fetch handler and the repository's RPCs: POST import with
// "mirror": true makes a repository that shows its remote, refuses pushes (also one that claims to be
// the import job's), and is queued again by the scheduled run once its last fetch is over, with the
// token it keeps; a one-time import keeps no token and is never queued again.
import { describe, expect, it } from "vitest";
import { HEAD } from "../../fixtures/packs";
import { testEnv } from "../../../bench/harness/in-repo";
import { IMPORT_HEADER } from "../../../durable/lifecycle/import-state";
import { registry } from "../../../durable/registry/registry-object";
import { receivePackRequest, ZERO } from "../../support/workerd/push";
import { ADMIN, bearer, send } from "../../support/workerd/worker";

const unique = () => `m${crypto.randomUUID().slice(0, 8)}`;
const REMOTE = "https://remote.invalid/team/upstream.git";

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await send(new Request(`http://x${path}`, bearer(ADMIN, init)));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const stub = (name: string) => testEnv.REPO.get(testEnv.REPO.idFromName(name));

/** Waits for the queued job (which cannot reach remote.invalid) to fail. */
async function failed(name: string): Promise<any> {
  for (let i = 0; i < 200; i++) {
    const { body } = await call(`/api/repos/${name}/import`);
    if (body.state === "failed") return body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the import of ${name} never failed`);
}

describe("mirrors", () => {
  it("shows its remote, refuses pushes, and is queued again with its token once its fetch is over", async () => {
    const name = `team/${unique()}`;
    const [owner, repo] = name.split("/");
    const created = await call(`/api/repos/${name}/import`, { method: "POST", body: JSON.stringify({ url: REMOTE, token: "remote-secret", mirror: true }) });
    expect(created).toMatchObject({ status: 202, body: { name, mirrorUrl: REMOTE } });
    expect((await call(`/api/repos/${owner}/${repo}`)).body).toMatchObject({ mirrorUrl: REMOTE, state: "ready" });
    expect((await call(`/api/repos?owner=${owner}`)).body.repos.find((r: { name: string }) => r.name === name)).toMatchObject({ mirrorUrl: REMOTE });
    expect(await registry(testEnv).mirrors()).toContain(name);

    const state = await failed(name);
    expect(state).toMatchObject({ mirror: true, url: REMOTE, error: expect.stringMatching(/the remote could not be reached/) });
    expect(JSON.stringify(state)).not.toContain("remote-secret");

    for (const headers of [{}, { [IMPORT_HEADER]: "1" }] as Record<string, string>[]) {
      const pushed = await send(new Request(receivePackRequest(name, [`${ZERO} ${HEAD} refs/heads/main`], undefined, "report-status"), bearer(ADMIN, { headers })));
      expect(pushed.status).toBe(403);
      expect(await pushed.text()).toMatch(`${name} is a mirror of ${REMOTE} and takes no pushes; push there, and its next scheduled fetch brings the change here\nrequest id: `);
    }
    const advertised = await send(new Request(`http://x/${name}.git/info/refs?service=git-receive-pack`, bearer(ADMIN)));
    expect(advertised.status).toBe(403);

    const job = await stub(name).queueMirror();
    expect(job).toEqual({ target: name, url: REMOTE, token: "remote-secret", by: expect.objectContaining({ actor: "admin" }) });
    // Queued just now: the next scheduled run leaves it be.
    expect((await call(`/api/repos/${name}/import`)).body.state).toBe("queued");
    expect(await stub(name).queueMirror()).toBeNull();
  });

  it("keeps no token for a one-time import, never queues it again, and takes pushes once it is done", async () => {
    const name = `team/${unique()}`;
    expect((await call(`/api/repos/${name}/import`, { method: "POST", body: JSON.stringify({ url: REMOTE, token: "once" }) })).body).toMatchObject({ mirrorUrl: null });
    expect((await failed(name)).mirror).toBe(false);
    expect(await stub(name).queueMirror()).toBeNull();
    expect(await registry(testEnv).mirrors()).not.toContain(name);
    const pushed = await send(new Request(receivePackRequest(name, [`${ZERO} ${HEAD} refs/heads/main`], undefined, "report-status"), bearer(ADMIN)));
    expect(new TextDecoder().decode(await pushed.arrayBuffer())).toContain("ok refs/heads/main");
  });

  it("refuses a mirror flag that is not a boolean", async () => {
    const bad = await call(`/api/repos/team/${unique()}/import`, { method: "POST", body: JSON.stringify({ url: REMOTE, mirror: "yes" }) });
    expect(bad).toMatchObject({ status: 400, body: { error: expect.stringContaining("mirror") } });
  });
});
