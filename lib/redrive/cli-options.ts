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

/** A command line that cannot be run; the message says why. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Parses the command line arguments (after `--`). */
export function parseRedriveArgs(args: readonly string[]): RedriveCliOptions {
  let dryRun = false;
  let max: number | undefined;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--dry-run") dryRun = true;
    else if (arg === "--help" || arg === "-h") help = true;
    else if (arg === "--max" || arg.startsWith("--max=")) {
      const value = arg === "--max" ? args[++i] : arg.slice("--max=".length);
      if (value === undefined || !/^[1-9]\d*$/.test(value)) {
        throw new UsageError(`--max takes a whole number of messages above 0, not ${value === undefined ? "nothing" : JSON.stringify(value)}`);
      }
      max = Number(value);
    } else {
      throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return { dryRun, help, ...(max === undefined ? {} : { max }) };
}
