// Vitest configuration: a "unit" project of in-process tests, and a "process" project that builds dist/ once and spawns the compiled bot and CLIs.
import { defineConfig } from "vitest/config";

/**
 * The test files that need dist/: they spawn the compiled bot or a compiled CLI (directly or through test/bot-process.ts),
 * or load a compiled module in a child process. test/ops/project-layout.test.ts fails if a test file that does so is missing here.
 */
export const PROCESS_TESTS = [
  "test/adapters/console/console-process.test.ts",
  "test/adapters/discord/deploy.test.ts",
  "test/adapters/discord/shards.test.ts",
  "test/adapters/slack/oauth.test.ts",
  "test/adapters/slack/slack-process.test.ts",
  "test/bot-process.test.ts",
  "test/cli/digest-dry-run.test.ts",
  "test/ops/content-reload-process.test.ts",
  "test/ops/ops-process.test.ts",
  "test/ops/releases-process.test.ts",
  "test/ops/secrets-process.test.ts",
  "test/scheduler/digest-console.test.ts",
  "test/scheduler/digest-process.test.ts",
  "test/scheduler/replicas-process.test.ts",
  "test/scheduler/slack-digest-process.test.ts",
  "test/store/sqlite-store.test.ts",
];

// The Dockerfile test installs and builds from scratch (minutes): it runs on its own, npm run test:dockerfile.
const NEVER = ["**/node_modules/**", "test/dockerfile/**"];

export default defineConfig({
  test: {
    // No include, exclude or globalSetup here: each project sets its own (inherited arrays would be concatenated).
    // npm test runs both projects; npm run test:unit runs `--project unit`, which skips the build in test/global-setup.ts.
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [...NEVER, ...PROCESS_TESTS],
        },
      },
      {
        extends: true,
        test: {
          name: "process",
          include: PROCESS_TESTS,
          exclude: NEVER,
          // Builds dist/ once, only when a process test is about to run, so they run what `npm start` runs.
          globalSetup: ["test/global-setup.ts"],
        },
      },
    ],
    environment: "node",
    testTimeout: 20_000,
    // Process tests start the compiled bot in beforeAll; on a busy 2-core machine that can take a while.
    hookTimeout: 30_000,
  },
});
