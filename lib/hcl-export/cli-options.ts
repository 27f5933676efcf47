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

/** A command line that cannot be run; the message says why. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Parses the command line arguments (after `--`). */
export function parseExportHclArgs(args: readonly string[]): ExportHclCliOptions {
  let outDir = DEFAULT_EXPORT_DIR;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--help" || arg === "-h") help = true;
    else if (arg === "--out" || arg.startsWith("--out=")) {
      const value = arg === "--out" ? args[++i] : arg.slice("--out=".length);
      if (value === undefined || value.trim() === "" || value.startsWith("--")) {
        throw new UsageError(`--out takes a folder, not ${value === undefined ? "nothing" : JSON.stringify(value)}`);
      }
      outDir = value;
    } else {
      throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return { outDir, help };
}
