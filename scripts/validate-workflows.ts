/**
 * `npm run validate:workflows`: checks every GitHub Actions workflow in .github/workflows against GitHub's schema
 * with action-validator, offline. Exit 0 when all are valid, 1 when one is not (action-validator says why),
 * 2 on bad usage.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs, readCommandLine } from "../lib/cli/args";
import { EXIT_OK, runTool } from "../lib/cli/errors";

const USAGE = `Usage: npm run validate:workflows

Checks every workflow in .github/workflows (*.yml) against GitHub Actions' schema with action-validator,
offline, and prints the problems it finds.

  --help   show this text

Exit status: 0 when every workflow is valid, 1 when one is not, 2 on bad usage.`;

function main(): number {
  const status = readCommandLine("validate:workflows", USAGE, () => parseArgs(process.argv.slice(2), { options: {} }));
  if (typeof status === "number") return status;
  const root = path.resolve(__dirname, "..");
  const validator = path.join(root, "node_modules", ".bin", "action-validator");
  const directory = path.join(root, ".github", "workflows");
  let failed = 0;
  for (const file of fs.readdirSync(directory).filter((name) => name.endsWith(".yml")).sort()) {
    const result = spawnSync(validator, [path.join(".github", "workflows", file)], { cwd: root, stdio: "inherit" });
    if (result.status !== 0) failed++;
  }
  return failed > 0 ? 1 : EXIT_OK;
}

runTool("validate:workflows", main);
