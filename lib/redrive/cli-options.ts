import { parseArgs } from "../cli/args";
import { UsageError } from "../cli/errors";

/** Options of `npm run redrive`. */
export interface RedriveCliOptions {
  readonly dryRun: boolean;
  readonly max?: number;
  readonly help: boolean;
}

/** Usage text of `npm run redrive`. */
export const REDRIVE_USAGE = `Usage: npm run redrive -- [--dry-run] [--max N]

Re-invokes the log processor of the configured environment (LOG_MONITOR_ENV, AWS_REGION) with each event
parked in its dead-letter queue, and deletes a message only after the processor succeeded on it.

  --dry-run   list the parked events and why they failed; invoke and delete nothing
  --max N     handle at most N messages
  --help      show this text`;

export { UsageError } from "../cli/errors";

/** Parses the command line arguments (after `--`) with the shared parser (lib/cli/args.ts). */
export function parseRedriveArgs(args: readonly string[]): RedriveCliOptions {
  const parsed = parseArgs(args, { options: { "--dry-run": "flag", "--max": "value" } });
  if (parsed.help) return { dryRun: false, help: true };
  const value = parsed.values.get("--max");
  if (value !== undefined && !/^[1-9]\d*$/.test(value)) {
    throw new UsageError(`--max takes a whole number of messages above 0, not ${JSON.stringify(value)}`);
  }
  return { dryRun: parsed.flags.has("--dry-run"), help: false, ...(value === undefined ? {} : { max: Number(value) }) };
}
