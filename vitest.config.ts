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
