// `npm run fuzz -- --cases N --seed S`: runs the fuzz test (test/worker/router.fuzz.test.ts) with more
// cases or another seed than CI's.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { cases: { type: "string" }, seed: { type: "string" } } });
for (const [name, value] of Object.entries(values)) {
  if (!/^\d+$/.test(value ?? "")) throw new Error(`--${name} wants a whole number, got ${JSON.stringify(value)}`);
}
const env = { ...process.env, ...(values.cases ? { FUZZ_CASES: values.cases } : {}), ...(values.seed ? { FUZZ_SEED: values.seed } : {}) };
const run = spawnSync("npx", ["vitest", "run", "--project", "workers", "test/worker/router.fuzz.test.ts"], { stdio: "inherit", env });
process.exit(run.status ?? 1);
