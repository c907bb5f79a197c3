// Vitest configuration: node environment, a one-off build for the tests that spawn the compiled bot.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    // The Dockerfile test installs and builds from scratch (minutes): it runs on its own, npm run test:dockerfile.
    exclude: ["**/node_modules/**", "test/dockerfile/**"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 20_000,
    // Process tests start the compiled bot in beforeAll; on a busy 2-core machine that can take a while.
    hookTimeout: 30_000,
  },
});
