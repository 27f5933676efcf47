import * as path from "path";
import { loadConfig } from "../config/config";
import { environmentWithDeployment } from "../config/deployment-file";
import { readCommandLine } from "../lib/cli/args";
import { runTool } from "../lib/cli/errors";
import { PROJECT_ROOT } from "../constructs/bundle-handler";
import { EXPORT_HCL_USAGE, parseExportHclArgs } from "../lib/hcl-export/cli-options";
import { exportStacksAsHcl } from "../lib/hcl-export/export-stacks";
import { createLogMonitorStacks } from "../stacks/log-monitor";

/**
 * `npm run export:hcl -- [--out DIR]`: writes every stack as plain Terraform (see README, "Leaving CDKTF").
 * Exit 0 when written, 1 on an export error, 2 on bad usage or configuration, or a folder that cannot be written.
 */
function main(): number {
  const options = readCommandLine("export:hcl", EXPORT_HCL_USAGE, () => parseExportHclArgs(process.argv.slice(2)));
  if (typeof options === "number") return options;

  const config = loadConfig(environmentWithDeployment(process.env));

  const outDir = path.resolve(options.outDir);
  const stacks = exportStacksAsHcl({
    build: (app) => createLogMonitorStacks(app, config),
    outDir,
    // Where `cdktf synth` writes (cdktf.json sets no other "output"): local state paths are relative to it.
    cdktfOutdir: path.join(PROJECT_ROOT, "cdktf.out"),
  });

  const shown = (dir: string): string => path.relative(process.cwd(), dir) || ".";
  process.stdout.write(`Exported ${stacks.length} stacks of environment "${config.environment}" as plain Terraform, in deploy order:\n`);
  const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;
  for (const stack of stacks) {
    const { resources, dataSources, outputs } = stack.counts;
    const contents = `${count(resources, "resource")}, ${count(dataSources, "data source")}, ${count(outputs, "output")}`;
    const after = stack.dependencies.length > 0 ? `, after ${stack.dependencies.join(" and ")}` : "";
    process.stdout.write(`  ${shown(path.join(stack.directory, "main.tf"))}: ${contents}; ${stack.backend} backend${after}\n`);
  }
  process.stdout.write(`\nNext, for each stack in that order: cd ${shown(outDir)}/<stack> && terraform init && terraform plan (expect "No changes.")\n`);
  return 0;
}

runTool("export:hcl", main);
