// GET health (admin): what an operator checks first about one repository. Its last push, whether full
// clones are served from the packs whole (and if not, since which event), the housekeeping alarm, the
// commit graph (its rows, and how many ref tips it does not reach yet), its packs by state and tier,
// and the last run and the last failure of each kind of background work.
import { storageReport } from "../archive/jobs";
import { missingTips } from "../graph/build";
import { lastPush } from "../refs/pushes";
import { lastRun } from "../store/health";
import { wholeReuseBlocker } from "../store/whole-reuse";
import type { Handler } from "./context";

export const getHealth: Handler = async ({ repo }) => {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const push = lastPush(repo.sql);
  const storage = storageReport(repo, repo.settings.archive);
  const count = (test: (p: (typeof storage.packs)[number]) => boolean) => storage.packs.filter(test).length;
  const blocker = wholeReuseBlocker(repo.sql);
  return Response.json({
    repo: repo.name(),
    lastPush: push && { pushId: push.id, actor: push.actor, at: iso(push.at) },
    lastEvent: repo.refs.lastSeq(),
    wholePacks: { served: blocker === null, offSince: blocker },
    alarmAt: iso(await repo.alarmAt()),
    commitGraph: { commits: repo.graph.size(), tipsWithout: (await missingTips(repo)).length },
    packs: { live: count((p) => p.state === "live"), retired: count((p) => p.state === "retired"), archiving: count((p) => p.state === "archiving"), archived: count((p) => p.tier === "archived") },
    hotBytes: storage.hotBytes,
    archivedBytes: storage.archivedBytes,
    lastRuns: { housekeeping: lastRun(repo.sql, "housekeeping"), archive: lastRun(repo.sql, "archive") },
    failures: storage.failures,
  });
};
