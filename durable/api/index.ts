// The repository's JSON API (the ref audit log): routes under /api/repos/{owner}/{repo}/.
export { handleApi } from "./handle";
