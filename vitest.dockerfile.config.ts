// Vitest configuration for the slow Dockerfile test (npm run test:dockerfile): it installs, builds and starts the image's steps without Docker.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["test/dockerfile/**/*.test.ts"],
    // The bot is started by the test from its own build in a temporary folder, so no global build step is needed.
    testTimeout: 60_000,
    // beforeAll runs npm ci, the TypeScript build and npm prune: a minute or two, longer on a cold npm cache.
    hookTimeout: 15 * 60_000,
  },
});
