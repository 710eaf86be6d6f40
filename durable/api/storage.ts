// GET storage: the repository's bytes in SQLite and in R2, the watermarks, every pack's tier, and the
// Git LFS objects' bytes and count (in R2, outside the storage limit, which is the Durable Object's).
import { storageReport } from "../archive/jobs";
import { lfsTotals } from "../lfs/objects";
import type { Handler } from "./context";

export const getStorage: Handler = ({ repo }) => Response.json({ ...storageReport(repo, repo.settings.archive), lfs: lfsTotals(repo.sql) });
