/**
 * `npm run incidents -- mute <fingerprint> --for 4h --reason "..." [--log-group G] [--account A]`,
 * `unmute <fingerprint> [--log-group G] [--account A]` and `mutes`: silence a known failure's real-time alerts for a
 * while, per failure scope (account, log group, fingerprint: the same text in another function or account is another
 * failure). Its incidents are still recorded and counted.
 */
import { resourceName } from "../../config/naming";
import { reportSuppressionTableError, setUpCommand } from "./command-setup";
import { parseArgs } from "../cli/args";
import { UsageError } from "./cli-options";
import { FailureScope, STORM_FINGERPRINT } from "../../handlers/log-processor/suppression-schema";
import { listMutes, Mute, MuteClient, muteFailure, scopesOfFingerprint, unmuteFailure } from "./mute-store";
import type { ExitCode } from "./run-incidents";

/** The subcommands this module runs. */
export const MUTE_SUBCOMMANDS = ["mute", "unmute", "mutes"] as const;

/** Usage of the mute subcommands. */
export const MUTE_USAGE = `Usage: npm run incidents -- mute <fingerprint> --for <duration> --reason "<why>" [--log-group <group>] [--account <id>]
       npm run incidents -- unmute <fingerprint> [--log-group <group>] [--account <id>]
       npm run incidents -- mutes

A muted failure is still recorded as incidents and counted, but publishes no real-time alert (and no quiet-again
notice) until the mute ends (by itself, at the time shown). Alarms are not muted. A failure is a fingerprint in one log
group of one account: without --log-group, mute and unmute act on every log group and account where the fingerprint
has alerted or been counted (and refuse when there is none: then name the log group). In place of a fingerprint,
\`storm\` names a log group's storm (the failures a digest counted as "Storm: ..."): muted, the storm's digests stop,
and its failures still alert on their own outside a storm. The mute is kept in the
alert-suppression table of the configured environment (log-monitor-<LOG_MONITOR_ENV>-alert-suppression in AWS_REGION).

  --for D           how long: a whole number with m, h or d (30m, 4h, 2d), at most ${"30d"}
  --reason TEXT     why (shown by \`mutes\`), 1 to 500 characters
  --log-group NAME  only this log group (as alerts show it: /aws/lambda/orders-api)
  --account ID      only this source account (12 digits)`;

/** Longest mute: 30 days. A failure silenced longer should be fixed, or its pattern changed. */
export const MAX_MUTE_MS = 30 * 86_400_000;
const FINGERPRINT = /^[0-9a-f]{32}$/;
/** CloudWatch Logs' log group names (CreateLogGroup, `logGroupName`: 1 to 512 of `[\.\-_/#A-Za-z0-9]`). */
const LOG_GROUP = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const ACCOUNT = /^\d{12}$/;
const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Which failure scopes a mute or unmute names: the fingerprint, and optionally a log group and an account. */
export interface MuteTarget {
  readonly fingerprint: string;
  readonly logGroup?: string | undefined;
  readonly accountId?: string | undefined;
}

/** A parsed mute subcommand. */
export type MuteCommand =
  | ({ readonly kind: "mute"; readonly durationMs: number; readonly durationText: string; readonly reason: string } & MuteTarget)
  | ({ readonly kind: "unmute" } & MuteTarget)
  | { readonly kind: "mutes" };

/** Parses `mute|unmute|mutes ...`. @throws UsageError naming the problem. */
export function parseMuteArgs(args: readonly string[]): MuteCommand {
  const [subcommand, ...rest] = args;
  if (!(MUTE_SUBCOMMANDS as readonly string[]).includes(subcommand ?? "")) throw new UsageError(`unknown subcommand ${JSON.stringify(subcommand)}`);
  // The shared parser (lib/cli/args.ts): an unknown or repeated option is refused.
  const scopeOptions = { "--log-group": "value", "--account": "value" } as const;
  const parsed = parseArgs(rest, {
    options: subcommand === "mute" ? { "--for": "value", "--reason": "value", ...scopeOptions } : subcommand === "unmute" ? scopeOptions : {},
    positionals: { max: subcommand === "mutes" ? 0 : 1, name: "fingerprint" },
  });
  const positional = parsed.positionals;
  const flags = flagValues(parsed.values);
  const target = (): MuteTarget => targetOf(subcommand as string, positional, flags, { storm: true });
  switch (subcommand) {
    case "mute": {
      const scope = target();
      const durationText = flags.get("--for");
      if (durationText === undefined) throw new UsageError("mute needs --for (for example --for 4h)");
      const match = /^([1-9]\d{0,5})([mhd])$/.exec(durationText);
      if (!match) throw new UsageError(`--for takes a duration such as 30m, 4h or 2d, not ${JSON.stringify(durationText)}`);
      const durationMs = Number(match[1]) * (UNIT_MS[match[2] as string] as number);
      if (durationMs > MAX_MUTE_MS) throw new UsageError(`--for ${durationText} is longer than the 30 days a mute may last`);
      const reason = flags.get("--reason");
      if (reason === undefined) throw new UsageError('mute needs --reason "<why>", so that others know why it is quiet');
      if (reason.length > 500) throw new UsageError(`--reason is ${reason.length} characters long; at most 500`);
      return { kind: "mute", ...scope, durationMs, durationText, reason };
    }
    case "unmute":
      return { kind: "unmute", ...target() };
    case "mutes":
      if (positional.length > 0 || flags.size > 0) throw new UsageError("mutes takes no arguments");
      return { kind: "mutes" };
    default:
      throw new UsageError(`unknown subcommand ${JSON.stringify(subcommand)}`);
  }
}

/**
 * The failure scopes a subcommand names: one fingerprint (or, where `storm` is allowed, a log group's storm), and the
 * `--log-group` and `--account` values among `flags`. @throws UsageError naming the problem.
 */
export function targetOf(subcommand: string, positional: readonly string[], flags: ReadonlyMap<string, string>, allow: { readonly storm: boolean }): MuteTarget {
  if (positional.length !== 1) throw new UsageError(`${subcommand} takes one fingerprint`);
  const value = positional[0] as string;
  if (!FINGERPRINT.test(value) && !(allow.storm && value === STORM_FINGERPRINT)) {
    throw new UsageError(`${JSON.stringify(value)} is not a fingerprint (32 lower-case hex characters, as alerts show it)${allow.storm ? ` or "${STORM_FINGERPRINT}"` : ""}`);
  }
  const logGroup = flags.get("--log-group");
  if (logGroup !== undefined && !LOG_GROUP.test(logGroup)) throw new UsageError(`--log-group ${JSON.stringify(logGroup)} is not a log group name (1 to 512 of A-Z a-z 0-9 . - _ / #)`);
  const accountId = flags.get("--account");
  if (accountId !== undefined && !ACCOUNT.test(accountId)) throw new UsageError(`--account ${JSON.stringify(accountId)} is not an AWS account id (12 digits)`);
  return { fingerprint: value, logGroup, accountId };
}

/** The trimmed values of the options given, refusing an empty one. @throws UsageError */
export function flagValues(values: ReadonlyMap<string, string>): Map<string, string> {
  const flags = new Map<string, string>();
  for (const [name, value] of values) {
    if (value.trim() === "") throw new UsageError(`${name} needs a value`);
    flags.set(name, value.trim());
  }
  return flags;
}

/** `<fingerprint> in <log group> (account <id>)`, as the command's lines name a scope. */
export function describeScope(scope: FailureScope): string {
  return `${scope.fingerprint} in ${scope.logGroup}${scope.accountId === undefined ? "" : ` (account ${scope.accountId})`}`;
}

/**
 * The scopes a target names: exactly one when it names log group and account; otherwise those where the fingerprint
 * has a suppression item (filtered by what it names).
 */
export async function scopesOf(client: MuteClient, tableName: string, target: MuteTarget): Promise<FailureScope[]> {
  if (target.logGroup !== undefined && target.accountId !== undefined) {
    return [{ fingerprint: target.fingerprint, logGroup: target.logGroup, accountId: target.accountId }];
  }
  return scopesOfFingerprint(client, tableName, target);
}

/** The one line that refuses a mute whose fingerprint has no scope to mute. */
export function noScopeLine(target: MuteTarget): string {
  if (target.logGroup === undefined) {
    return `${target.fingerprint} has not alerted or been counted in any log group${target.accountId === undefined ? "" : ` of account ${target.accountId}`}; name its log group with --log-group <group> (and --account <id>) to mute it before it does`;
  }
  return `${target.fingerprint} has not alerted or been counted in ${target.logGroup} yet; name its source account with --account <id> to mute it before it does`;
}

/** What the mute subcommands need from their surroundings. */
export interface MuteCommandDependencies {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly createClient: (region: string) => MuteClient;
  /** Who is muting: the caller's ARN (sts:GetCallerIdentity), or the user name when that is unavailable. */
  readonly whoAmI: () => Promise<string>;
  readonly now: () => number;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Runs a mute subcommand. Exit 0 done, 1 AWS error (or nothing to unmute), 2 bad usage or configuration. */
export async function runMuteCommand(args: readonly string[], deps: MuteCommandDependencies): Promise<ExitCode> {
  if (args.includes("--help") || args.includes("-h")) {
    deps.stdout(`${MUTE_USAGE}\n`);
    return 0;
  }
  const setUp = setUpCommand(() => parseMuteArgs(args), deps.env, deps.stderr);
  if (setUp === 0 || setUp === 2) return setUp;
  const { command, config } = setUp;
  const tableName = resourceName(config, "alert-suppression");
  const client = deps.createClient(config.region);
  const nowMs = deps.now();
  try {
    switch (command.kind) {
      case "mute": {
        const scopes = await scopesOf(client, tableName, command);
        if (scopes.length === 0) {
          deps.stderr(`incidents: ${noScopeLine(command)}\n`);
          return 2;
        }
        const by = await deps.whoAmI();
        const untilMs = nowMs + command.durationMs;
        for (const scope of scopes) {
          await muteFailure(client, tableName, { scope, untilMs, by, reason: command.reason, nowMs });
          deps.stdout(`Muted ${describeScope(scope)} for ${command.durationText}, until ${new Date(untilMs).toISOString()} (by ${by}: ${command.reason}).\n`);
        }
        deps.stdout("Its incidents are still recorded and counted; real-time alerts resume by themselves when the mute ends.\n");
        return 0;
      }
      case "unmute": {
        const scopes = await scopesOf(client, tableName, command);
        const unmuted: FailureScope[] = [];
        for (const scope of scopes) if (await unmuteFailure(client, tableName, scope)) unmuted.push(scope);
        if (unmuted.length === 0) {
          const where = command.logGroup === undefined ? "" : ` in ${command.logGroup}`;
          deps.stderr(`incidents: ${command.fingerprint} is not muted${where} (see npm run incidents -- mutes)\n`);
          return 1;
        }
        for (const scope of unmuted) {
          deps.stdout(`Unmuted ${describeScope(scope)}: its next occurrence alerts (unless it alerted within its suppression window).\n`);
        }
        return 0;
      }
      case "mutes": {
        const mutes = await listMutes(client, tableName, nowMs);
        deps.stdout(`${formatMutes(mutes, nowMs, tableName, config.region)}\n`);
        return 0;
      }
    }
  } catch (error) {
    return reportSuppressionTableError(error, tableName, config, deps.stderr);
  }
}

/** The `mutes` listing: one line per mute with until when, who and why. */
export function formatMutes(mutes: readonly Mute[], nowMs: number, tableName: string, region: string): string {
  const header = `Mutes in force at ${new Date(nowMs).toISOString()} (table ${tableName}, ${region})`;
  if (mutes.length === 0) return `${header}\n\nNo failure is muted.`;
  const rows = mutes.map((mute) => [
    mute.fingerprint,
    mute.logGroup,
    mute.accountId ?? "-",
    new Date(mute.mutedUntilMs).toISOString(),
    remaining(mute.mutedUntilMs - nowMs),
    String(mute.seenCount),
    mute.mutedBy,
    mute.reason,
  ]);
  const titles = ["FINGERPRINT", "LOG GROUP", "ACCOUNT", "MUTED UNTIL (UTC)", "LEFT", "SEEN", "BY", "REASON"];
  const widths = titles.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] as number)))
      .join("  ")
      .trimEnd();
  return [header, "", line(titles), ...rows.map(line), "", `${mutes.length} ${mutes.length === 1 ? "mute" : "mutes"}.`].join("\n");
}

function remaining(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h${String(minutes % 60).padStart(2, "0")}m`;
  return `${Math.floor(hours / 24)}d${String(hours % 24).padStart(2, "0")}h`;
}
