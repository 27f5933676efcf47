import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/**
 * The esbuild transformer hands a file that calls jest.mock to ts-jest, which hoists the call above the imports:
 * the mock then replaces the module for the imports too. With esbuild alone, the import would get the real module.
 */
describe("scripts/esbuild-jest.js", () => {
  it("keeps jest.mock working by sending such a file to ts-jest", () => {
    // Prepare: a throwaway test that mocks node:os before importing it, in a folder of its own
    const dir = fs.mkdtempSync(path.join(PROJECT_ROOT, ".build", "jest-mock-probe-"));
    fs.writeFileSync(
      path.join(dir, "probe.test.ts"),
      'import { hostname } from "node:os";\njest.mock("node:os", () => ({ hostname: () => "mocked" }));\nit("sees the mock", () => { expect(hostname()).toBe("mocked"); });\n',
    );
    const config = path.join(dir, "jest.config.json");
    fs.writeFileSync(
      config,
      JSON.stringify({ rootDir: dir, testEnvironment: "node", testMatch: ["**/probe.test.ts"], transform: { "^.+\\.ts$": path.join(PROJECT_ROOT, "scripts", "esbuild-jest.js") } }),
    );
    try {
      // Act
      const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "node_modules", "jest", "bin", "jest.js"), "--config", config, "--no-cache"], {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
      });
      // Assess
      expect(result.stderr).toContain("1 passed");
      expect(result.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(os.hostname()).not.toBe("mocked");
  });
});
