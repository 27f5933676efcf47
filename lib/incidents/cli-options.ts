import { parseArgs } from "../cli/args";
import { UsageError } from "../cli/errors";

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
  /** Print one JSON document instead of the tables (`--json`). */
  readonly json: boolean;
  /** Show the usage text. */
  readonly help: boolean;
}

/** `--since` when not given. */
export const DEFAULT_SINCE = "24h";
/** `--limit` when not given. */
export const DEFAULT_LIMIT = 50;

/** Usage text of `npm run incidents`. */
export const INCIDENTS_USAGE = `Usage: npm run incidents -- [--since 1h] [--log-group NAME] [--fingerprint F] [--account ID] [--groups] [--limit N] [--json]
       npm run incidents -- mute <fingerprint> --for <duration> --reason "<why>" | unmute <fingerprint> | mutes
                            (silence one failure's real-time alerts for a while; \`mute --help\` says more)

Lists recent incidents, newest first, from the incidents table of the configured environment
(log-monitor-<LOG_MONITOR_ENV>-incidents in AWS_REGION), with the standard AWS credential chain.
Each query reads index partitions (the shards of by-log-group or of by-fingerprint); the table is never scanned.

  --since D         how far back: a whole number with m, h or d (30m, 1h, 2d); default ${DEFAULT_SINCE}
  --log-group NAME  incidents of this log group; default: the test emitter's,
                    /aws/lambda/log-monitor-<env>-test-emitter, unless --fingerprint is given
  --fingerprint F   every occurrence of one failure (the 32-character fingerprint in alerts and listings),
                    in any log group (or only NAME's, with --log-group)
  --account ID      only incidents of this AWS account (12 digits; the source account of a cross-account
                    delivery), with --log-group or --fingerprint; filtered here, after the index is read
  --groups          one line per failure (fingerprint): count, first and last seen, severity, error
  --limit N         list at most N incidents; default ${DEFAULT_LIMIT} (--groups counts all of them)
  --json            print one JSON document (the query and the incidents or failures) instead of tables
  --help            show this text`;

export { UsageError } from "../cli/errors";

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

/** The options of `npm run incidents` (lib/cli/args.ts). */
export const INCIDENTS_OPTIONS = {
  "--since": "value",
  "--log-group": "value",
  "--fingerprint": "value",
  "--account": "value",
  "--limit": "value",
  "--groups": "flag",
  "--json": "flag",
} as const;

/**
 * Parses the command line arguments (after `--`) with the shared parser: `--name value` and `--name=value` both
 * work; an unknown or repeated option is refused.
 */
export function parseIncidentsArgs(args: readonly string[]): IncidentsCliOptions {
  const parsed = parseArgs(args, { options: INCIDENTS_OPTIONS });
  const value = (name: keyof typeof INCIDENTS_OPTIONS): string | undefined => {
    const given = parsed.values.get(name);
    if (given === "") throw new UsageError(`${name} needs a value`);
    return given;
  };
  const sinceText = value("--since") ?? DEFAULT_SINCE;
  parseDuration(sinceText);
  const logGroup = value("--log-group");
  const fingerprint = value("--fingerprint");
  if (fingerprint !== undefined && !FINGERPRINT.test(fingerprint)) {
    throw new UsageError(`--fingerprint takes the 32 lower-case hex characters of a fingerprint, not ${JSON.stringify(fingerprint)}`);
  }
  const account = value("--account");
  if (account !== undefined && !/^\d{12}$/.test(account)) throw new UsageError(`--account takes a 12-digit AWS account id, not ${JSON.stringify(account)}`);
  const limitText = value("--limit");
  if (limitText !== undefined && !/^[1-9]\d{0,5}$/.test(limitText)) {
    throw new UsageError(`--limit takes a whole number from 1 to 999999, not ${JSON.stringify(limitText)}`);
  }
  const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
  const groups = parsed.flags.has("--groups");
  const json = parsed.flags.has("--json");
  const help = parsed.help;
  if (account !== undefined && logGroup === undefined && fingerprint === undefined) {
    throw new UsageError("--account filters a --log-group or --fingerprint query (no index is keyed by account); add one of them");
  }
  return {
    sinceMs: parseDuration(sinceText),
    sinceText,
    groups,
    json,
    limit,
    help,
    ...(logGroup === undefined ? {} : { logGroup }),
    ...(fingerprint === undefined ? {} : { fingerprint }),
    ...(account === undefined ? {} : { account }),
  };
}
