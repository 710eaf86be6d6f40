// Benchmarks of the ref audit API, run inside workerd like the workers tests (not part of `npm test`):
// npx vitest run --config bench/vitest.config.ts
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [cloudflareTest({ main: "./worker/index.ts", wrangler: { configPath: "./wrangler.toml" } })],
  test: { name: "bench", root: ".", include: ["bench/**/*.bench.ts"], testTimeout: 600_000 },
});
