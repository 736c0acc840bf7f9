import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "test/.tmp/**", "test/fixtures/**"],
    // End-to-end tests spawn the CLI (about 1–2 s each on this 2-core machine).
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
