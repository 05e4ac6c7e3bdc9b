import { defineConfig } from "vitest/config";

const integrationSetup = "packages/local/tests/helpers/global-setup.ts";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "stacks/**/*.test.ts"],
          environment: "node",
          // Some unit tests bundle a handler and start Lambda workers, which can take several
          // seconds on a busy 2-core CI machine. The default 5 s made them fail there.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["packages/*/tests/integration/**/*.test.ts"],
          globalSetup: [integrationSetup],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["packages/web/tests/browser/**/*.test.ts"],
          globalSetup: [integrationSetup],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
