import { parseArgs } from "../cli/args";
import { UsageError } from "../cli/errors";

/** Options of `npm run export:hcl`. */
export interface ExportHclCliOptions {
  /** The folder to write, as given (relative to the current folder). */
  readonly outDir: string;
  readonly help: boolean;
}

/** The folder written when `--out` is not given. */
export const DEFAULT_EXPORT_DIR = "terraform-export";

/** Usage text of `npm run export:hcl`. */
export const EXPORT_HCL_USAGE = `Usage: npm run export:hcl -- [--out DIR]

Writes every stack of the configured environment (the same LOG_MONITOR_* variables and AWS_REGION as
cdktf synth) as plain Terraform: DIR/<stack>/main.tf and the stack's assets/. Same resource addresses,
same backend and state as CDKTF: run \`terraform init\` and \`terraform plan\` in DIR/<stack>.

  --out DIR   the folder to write (default: ${DEFAULT_EXPORT_DIR})
  --help      show this text`;

export { UsageError } from "../cli/errors";

/** Parses the command line arguments (after `--`) with the shared parser (lib/cli/args.ts). */
export function parseExportHclArgs(args: readonly string[]): ExportHclCliOptions {
  const parsed = parseArgs(args, { options: { "--out": "value" } });
  if (parsed.help) return { outDir: DEFAULT_EXPORT_DIR, help: true };
  const value = parsed.values.get("--out");
  if (value !== undefined && (value.trim() === "" || value.startsWith("--"))) {
    throw new UsageError(`--out takes a folder, not ${JSON.stringify(value)}`);
  }
  return { outDir: value ?? DEFAULT_EXPORT_DIR, help: false };
}
