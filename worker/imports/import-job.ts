// The import Queue's consumer: fetches a remote's branches and tags (worker/imports/remote.ts) and
// pushes them into the repository through its own receive-pack, as one atomic push by the importer
// that makes its refs equal the remote's (ref-updates.ts): a new repository's first import, and each
// later run of a mirror, which fetches only what its tips do not reach. The pack is streamed from
// the remote's side band into the same indexer and checks a push goes through, MAX_IMPORT_BYTES
// bounding it instead of MAX_PUSH_BYTES. The state says how far it
// got (bytes every PROGRESS_BYTES); a remote that refuses or a pack that is refused fails it at once,
// anything else is retried by the queue. Each job is an operation with its log line.
import { encodePrincipal, PRINCIPAL_HEADER } from "../../durable/access/principal";
import { describe, LimitError, RemoteError, humanBytes } from "../../durable/errors";
import { IMPORT_HEADER } from "../../durable/lifecycle/import-state";
import { Operation } from "../../durable/observe/operation";
import { ZERO_OID } from "../../durable/protocol/oid";
import { concatBytes, encodePkt, FLUSH } from "../../durable/protocol/pktline";
import { decodeReportStatus } from "../../durable/protocol/report-status";
import { REPO_HEADER, type ImportMessage } from "../../durable/repo-object";
import type { Env } from "../env";
import { settings } from "../settings";
import { refUpdates } from "./ref-updates";
import { fetchPack, remoteRefs } from "./remote";

const PROGRESS_BYTES = 8 * 1024 * 1024;

export async function consumeImportBatch(batch: MessageBatch<ImportMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const op = new Operation("import", { repo: message.body.target, actor: message.body.by.actor, metrics: env.METRICS });
    const target = env.REPO.get(env.REPO.idFromName(message.body.target));
    try {
      op.bytesIn = await importRepository(env, message.body);
      message.ack();
    } catch (e) {
      op.fail(e);
      const final = e instanceof RemoteError || e instanceof LimitError || message.attempts >= 3;
      await target.importUpdate({ state: final ? "failed" : "queued", error: describe(e).error, finishedAt: final ? Date.now() : null });
      if (final) message.ack();
      else message.retry({ delaySeconds: 10 * message.attempts });
    } finally {
      op.finish();
    }
  }
}

/** Runs the import, or a mirror's next fetch; returns the pack bytes received. */
export async function importRepository(env: Env, m: ImportMessage): Promise<number> {
  const { maxImportBytes, outbound } = settings(env);
  const target = env.REPO.get(env.REPO.idFromName(m.target));
  if (!(await target.importBegin())) return 0;
  const remote = { url: m.url, token: m.token, allowPrivate: outbound.allowPrivateUrls };
  const advertised = await remoteRefs(remote);
  // HEAD's branch first: the repository's HEAD goes to the first branch a push creates, unless main exists.
  const refs = [...advertised.refs].sort((a, b) => Number(b.name === advertised.head) - Number(a.name === advertised.head));
  const local = await target.importRefs();
  const updates = refUpdates(local, refs);
  await target.importUpdate({ protocol: advertised.version, refs: refs.length });
  if (updates.length === 0) {
    await target.importUpdate({ state: "done", finishedAt: Date.now() });
    return 0;
  }
  const wants = [...new Set(updates.map((u) => u.new).filter((oid) => oid !== ZERO_OID))];
  // A run that only deletes refs fetches nothing, and its push has no pack, as git's has none.
  const pack = wants.length === 0 ? null : (await fetchPack(remote, advertised.version, wants, [...new Set(local.map((r) => r.oid))])).getReader();
  const commands = concatBytes([...updates.map((u, i) => encodePkt(`${u.old} ${u.new} ${u.name}${i === 0 ? "\0report-status atomic" : ""}\n`)), FLUSH]);
  let bytes = 0;
  let reported = 0;
  /** Why the pack's stream stopped, if it failed: the push then fails for want of its body, and this says why. */
  let failure: unknown = null;
  const body = new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(commands),
    async pull(controller) {
      try {
        const { done, value } = pack ? await pack.read() : { done: true as const, value: undefined };
        if (done) return controller.close();
        bytes += value.length;
        if (bytes > maxImportBytes) throw new LimitError(`the remote's pack is over this server's import limit of ${humanBytes(maxImportBytes)} (MAX_IMPORT_BYTES)`);
        if (bytes - reported >= PROGRESS_BYTES) {
          reported = bytes;
          await target.importUpdate({ bytes });
        }
        controller.enqueue(value);
      } catch (e) {
        failure = e;
        throw e;
      }
    },
    cancel: () => pack?.cancel(),
  });
  const headers = { [REPO_HEADER]: m.target, [PRINCIPAL_HEADER]: encodePrincipal(m.by), [IMPORT_HEADER]: "1", "Content-Type": "application/x-git-receive-pack-request" };
  let answer: Uint8Array;
  let response: Response;
  try {
    response = await target.fetch(new Request(`http://import/${m.target}.git/git-receive-pack`, { method: "POST", body, headers }));
    answer = new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    throw failure ?? e;
  }
  if (failure) throw failure;
  if (!response.ok) throw new RemoteError(`the repository refused the import: ${new TextDecoder().decode(answer).trim()}`);
  const report = decodeReportStatus(answer);
  const refused = report.results.find((r) => !r.ok);
  if (report.unpack !== "ok") throw new RemoteError(`the remote's pack was refused: ${report.unpack}`);
  if (refused) throw new RemoteError(`${refused.ref} was refused: ${"reason" in refused ? refused.reason : "refused"}`);
  await target.importUpdate({ state: "done", bytes, updated: updates.length, finishedAt: Date.now() });
  return bytes;
}
