// Two test projects: code that runs inside workerd (pool-workers), and the Node-side end-to-end suite
// that drives the real git CLI against the worker started locally.
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest({
            main: "./worker/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            // A tiny storage limit, so that a push of a test pack crosses the archive watermark.
            // Open mode, as npm start runs; the access-control tests call the Worker with a token-mode env.
            // A 4 MiB push limit, so that a test can go over it cheaply.
            // FUZZ_CASES and FUZZ_SEED reach the fuzz test from `npm run fuzz` (test/support/fuzz-cli.ts).
            miniflare: {
              bindings: {
                STORAGE_LIMIT_BYTES: "100000",
                AUTH_MODE: "open",
                MAX_PUSH_BYTES: String(4 * 1024 * 1024),
                ...(process.env.FUZZ_CASES ? { FUZZ_CASES: process.env.FUZZ_CASES } : {}),
                ...(process.env.FUZZ_SEED ? { FUZZ_SEED: process.env.FUZZ_SEED } : {}),
              },
            },
          }),
        ],
        test: { name: "workers", include: ["test/durable/**/*.test.ts", "test/worker/**/*.test.ts"] },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
