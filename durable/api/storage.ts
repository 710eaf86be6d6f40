// GET storage: the repository's bytes in SQLite and in R2, the watermarks, and every pack's tier.
import { storageReport } from "../archive/jobs";
import type { Handler } from "./context";

export const getStorage: Handler = ({ repo }) => Response.json(storageReport(repo, repo.settings.archive));
