// Unit and integration tests of the project itself (`npm test`).
// The conformance suites under suites/ are run by `ontap-conformance run`
// with their own configuration (vitest.suites.config.ts), against a target.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "mock/**/*.test.ts", "generators/**/*.test.ts", "suites/**/*.test.ts", "src/**/*.test.ts", "reports/**/*.test.ts", "bench/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "threads",
    reporters: ["default", "./test/support/closing-line-reporter.ts"],
  },
});
