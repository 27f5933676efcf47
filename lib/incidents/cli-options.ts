/** Options of `npm run incidents`. */
export interface IncidentsCliOptions {
  /** How far back to look, in milliseconds. */
  readonly sinceMs: number;
  /** The `--since` text as given (`1h`), for messages. */
  readonly sinceText: string;
  /** Only incidents of this log group (`--log-group`). */
  readonly logGroup?: string;
  /** Only occurrences of this failure (`--fingerprint`). */
  readonly fingerprint?: string;
  /**
   * Only incidents of this AWS account (`--account`, the `account_id` a cross-account delivery keeps). Filtered on
   * the client: no index is keyed by account, so the log group's or fingerprint's partitions are read and other
   * accounts' incidents skipped.
   */
  readonly account?: string;
  /** Group by fingerprint with counts and first/last seen, instead of listing (`--groups`). */
  readonly groups: boolean;
  /** Most incidents listed (`--limit`); groups always count every incident in the period. */
  readonly limit: number;
  /** Show the usage text. */
  readonly help: boolean;
}

/** `--since` when not given. */
export const DEFAULT_SINCE = "24h";
/** `--limit` when not given. */
export const DEFAULT_LIMIT = 50;

/** Usage text of `npm run incidents`. */
export const INCIDENTS_USAGE = `Usage: npm run incidents -- [--since 1h] [--log-group NAME] [--fingerprint F] [--account ID] [--groups] [--limit N]
       npm run incidents -- mute <fingerprint> --for <duration> --reason "<why>" | unmute <fingerprint> | mutes
                            (silence one failure's real-time alerts for a while; \`mute --help\` says more)

Lists recent incidents, newest first, from the incidents table of the configured environment
(log-monitor-<LOG_MONITOR_ENV>-incidents in AWS_REGION), with the standard AWS credential chain.
Each query reads index partitions (the shards of by-log-group, or by-fingerprint); the table is never scanned.

  --since D         how far back: a whole number with m, h or d (30m, 1h, 2d); default ${DEFAULT_SINCE}
  --log-group NAME  incidents of this log group; default: the test emitter's,
                    /aws/lambda/log-monitor-<env>-test-emitter, unless --fingerprint is given
  --fingerprint F   every occurrence of one failure (the 32-character fingerprint in alerts and listings),
                    in any log group (or only NAME's, with --log-group)
  --account ID      only incidents of this AWS account (12 digits; the source account of a cross-account
                    delivery), with --log-group or --fingerprint; filtered here, after the index is read
  --groups          one line per failure (fingerprint): count, first and last seen, severity, error
  --limit N         list at most N incidents; default ${DEFAULT_LIMIT} (--groups counts all of them)
  --help            show this text`;

/** A command line that cannot be run; the message says why. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const FINGERPRINT = /^[0-9a-f]{32}$/;

/**
 * Milliseconds in a duration such as `30m`, `1h` or `2d`.
 *
 * @throws UsageError for anything else, quoting it.
 */
export function parseDuration(text: string): number {
  const match = /^([1-9]\d{0,5})([mhd])$/.exec(text);
  if (!match) throw new UsageError(`--since takes a duration such as 30m, 1h or 2d, not ${JSON.stringify(text)}`);
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

/** Parses the command line arguments (after `--`); `--name value` and `--name=value` both work. */
export function parseIncidentsArgs(args: readonly string[]): IncidentsCliOptions {
  let sinceText = DEFAULT_SINCE;
  let logGroup: string | undefined;
  let fingerprint: string | undefined;
  let account: string | undefined;
  let groups = false;
  let limit = DEFAULT_LIMIT;
  let help = false;

  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [name, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = (): string => {
      const given = inline ?? args[++i];
      if (given === undefined || given === "") throw new UsageError(`${name} needs a value`);
      return given;
    };
    switch (name) {
      case "--since":
        sinceText = value();
        parseDuration(sinceText);
        break;
      case "--log-group":
        logGroup = value();
        break;
      case "--fingerprint":
        fingerprint = value();
        if (!FINGERPRINT.test(fingerprint)) {
          throw new UsageError(
            `--fingerprint takes the 32 lower-case hex characters of a fingerprint, not ${JSON.stringify(fingerprint)}`,
          );
        }
        break;
      case "--account":
        account = value();
        if (!/^\d{12}$/.test(account)) throw new UsageError(`--account takes a 12-digit AWS account id, not ${JSON.stringify(account)}`);
        break;
      case "--limit": {
        const text = value();
        if (!/^[1-9]\d{0,5}$/.test(text))
          throw new UsageError(`--limit takes a whole number from 1 to 999999, not ${JSON.stringify(text)}`);
        limit = Number(text);
        break;
      }
      case "--groups":
        if (inline !== undefined) throw new UsageError("--groups takes no value");
        groups = true;
        break;
      case "--help":
      case "-h":
        help = true;
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  if (account !== undefined && logGroup === undefined && fingerprint === undefined) {
    throw new UsageError("--account filters a --log-group or --fingerprint query (no index is keyed by account); add one of them");
  }
  return {
    sinceMs: parseDuration(sinceText),
    sinceText,
    groups,
    limit,
    help,
    ...(logGroup === undefined ? {} : { logGroup }),
    ...(fingerprint === undefined ? {} : { fingerprint }),
    ...(account === undefined ? {} : { account }),
  };
}
