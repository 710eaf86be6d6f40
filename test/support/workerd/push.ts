// Pushes built by hand for tests that go through the Worker: a receive-pack request with the fixture
// pack, and a snapshot of what a repository stores, to check that a refusal changed nothing.
import { concatBytes, encodePkt, FLUSH } from "../../../durable/protocol/pktline";
import { FULL } from "../../fixtures/packs";
import { inRepo } from "../../../bench/harness/in-repo";

export const ZERO = "0".repeat(40);

/** The fixture pack: every object of the 6-commit history. */
export const fullPack = () => Uint8Array.from(atob(FULL), (c) => c.charCodeAt(0));

/** POST {repo}.git/git-receive-pack with `commands` ("old new ref") and `body` after the flush. */
export function receivePackRequest(repo: string, commands: string[], body: Uint8Array = fullPack(), caps = "report-status", headers: HeadersInit = {}): Request {
  const lines = commands.map((c, i) => encodePkt(i === 0 ? `${c}\0${caps}\n` : `${c}\n`));
  return new Request(`http://x/${repo}.git/git-receive-pack`, { method: "POST", body: concatBytes([...lines, FLUSH, body]), headers });
}

/** Refs, and counts of packs, index rows, chunks and log events of repository `name`. */
export async function stored(name: string) {
  return inRepo((repo) => ({
    refs: Object.fromEntries(repo.refs.all()),
    packs: repo.sql.exec<{ n: number }>("SELECT count(*) AS n FROM packs").one().n,
    objects: repo.sql.exec<{ n: number }>("SELECT count(*) AS n FROM objects").one().n,
    chunks: repo.sql.exec<{ n: number }>("SELECT count(*) AS n FROM chunks").one().n,
    events: repo.refs.lastSeq(),
    settings: repo.sql.exec<{ n: number }>("SELECT count(*) AS n FROM settings_events").one().n,
  }), name);
}

/** A pack of no objects (header and SHA-1 trailer), for updates to objects the repository has. */
export async function emptyPack(): Promise<Uint8Array> {
  const header = new Uint8Array([0x50, 0x41, 0x43, 0x4b, 0, 0, 0, 2, 0, 0, 0, 0]);
  return concatBytes([header, new Uint8Array(await crypto.subtle.digest("SHA-1", header))]);
}
