/**
 * `npm run incidents -- mute <fingerprint> --for 4h --reason "..."`, `unmute <fingerprint>` and `mutes`: silence a
 * known failure's real-time alerts for a while. Its incidents are still recorded and counted.
 */
import { ConfigurationError, loadConfig } from "../../config/config";
import { resourceName } from "../../config/naming";
import { explainIncidentsError } from "./aws-errors";
import { parseArgs, reportUsageError } from "../cli/args";
import { UsageError } from "./cli-options";
import { listMutes, Mute, MuteClient, muteFailure, unmuteFailure } from "./mute-store";
import type { ExitCode } from "./run-incidents";

/** The subcommands this module runs. */
export const MUTE_SUBCOMMANDS = ["mute", "unmute", "mutes"] as const;

/** Usage of the mute subcommands. */
export const MUTE_USAGE = `Usage: npm run incidents -- mute <fingerprint> --for <duration> --reason "<why>"
       npm run incidents -- unmute <fingerprint>
       npm run incidents -- mutes

A muted failure is still recorded as incidents and counted, but publishes no real-time alert until the mute ends
(by itself, at the time shown). Alarms are not muted. The mute is kept in the alert-suppression table of the configured
environment (log-monitor-<LOG_MONITOR_ENV>-alert-suppression in AWS_REGION).

  --for D       how long: a whole number with m, h or d (30m, 4h, 2d), at most ${"30d"}
  --reason TEXT why (shown by \`mutes\`), 1 to 500 characters`;

/** Longest mute: 30 days. A failure silenced longer should be fixed, or its pattern changed. */
export const MAX_MUTE_MS = 30 * 86_400_000;
const FINGERPRINT = /^[0-9a-f]{32}$/;
const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A parsed mute subcommand. */
export type MuteCommand =
  | { readonly kind: "mute"; readonly fingerprint: string; readonly durationMs: number; readonly durationText: string; readonly reason: string }
  | { readonly kind: "unmute"; readonly fingerprint: string }
  | { readonly kind: "mutes" };

/** Parses `mute|unmute|mutes ...`. @throws UsageError naming the problem. */
export function parseMuteArgs(args: readonly string[]): MuteCommand {
  const [subcommand, ...rest] = args;
  if (!(MUTE_SUBCOMMANDS as readonly string[]).includes(subcommand ?? "")) throw new UsageError(`unknown subcommand ${JSON.stringify(subcommand)}`);
  // The shared parser (lib/cli/args.ts): an unknown or repeated option is refused.
  const parsed = parseArgs(rest, {
    options: subcommand === "mute" ? { "--for": "value", "--reason": "value" } : {},
    positionals: { max: subcommand === "mutes" ? 0 : 1, name: "fingerprint" },
  });
  const positional = parsed.positionals;
  const flags = new Map<string, string>();
  for (const [name, value] of parsed.values) {
    if (value.trim() === "") throw new UsageError(`${name} needs a value`);
    flags.set(name, value.trim());
  }
  const fingerprint = (): string => {
    if (positional.length !== 1) throw new UsageError(`${subcommand} takes one fingerprint`);
    const value = positional[0] as string;
    if (!FINGERPRINT.test(value)) throw new UsageError(`${JSON.stringify(value)} is not a fingerprint (32 lower-case hex characters, as alerts show it)`);
    return value;
  };
  switch (subcommand) {
    case "mute": {
      const fp = fingerprint();
      const durationText = flags.get("--for");
      if (durationText === undefined) throw new UsageError("mute needs --for (for example --for 4h)");
      const match = /^([1-9]\d{0,5})([mhd])$/.exec(durationText);
      if (!match) throw new UsageError(`--for takes a duration such as 30m, 4h or 2d, not ${JSON.stringify(durationText)}`);
      const durationMs = Number(match[1]) * (UNIT_MS[match[2] as string] as number);
      if (durationMs > MAX_MUTE_MS) throw new UsageError(`--for ${durationText} is longer than the 30 days a mute may last`);
      const reason = flags.get("--reason");
      if (reason === undefined) throw new UsageError('mute needs --reason "<why>", so that others know why it is quiet');
      if (reason.length > 500) throw new UsageError(`--reason is ${reason.length} characters long; at most 500`);
      return { kind: "mute", fingerprint: fp, durationMs, durationText, reason };
    }
    case "unmute":
      if (flags.size > 0) throw new UsageError("unmute takes only a fingerprint");
      return { kind: "unmute", fingerprint: fingerprint() };
    case "mutes":
      if (positional.length > 0 || flags.size > 0) throw new UsageError("mutes takes no arguments");
      return { kind: "mutes" };
    default:
      throw new UsageError(`unknown subcommand ${JSON.stringify(subcommand)}`);
  }
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
  if (args.slice(0, args.includes("--") ? args.indexOf("--") : args.length).some((arg) => arg === "--help" || arg === "-h")) {
    deps.stdout(`${MUTE_USAGE}\n`);
    return 0;
  }
  let command: MuteCommand;
  let config;
  try {
    command = parseMuteArgs(args);
    config = loadConfig(deps.env);
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError("incidents", error, deps.stderr);
    if (error instanceof ConfigurationError) {
      deps.stderr(`incidents: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const tableName = resourceName(config, "alert-suppression");
  const client = deps.createClient(config.region);
  const nowMs = deps.now();
  try {
    switch (command.kind) {
      case "mute": {
        const by = await deps.whoAmI();
        const untilMs = nowMs + command.durationMs;
        await muteFailure(client, tableName, { fingerprint: command.fingerprint, untilMs, by, reason: command.reason, nowMs });
        deps.stdout(
          `Muted ${command.fingerprint} for ${command.durationText}, until ${new Date(untilMs).toISOString()} (by ${by}: ${command.reason}).\n` +
            "Its incidents are still recorded and counted; real-time alerts resume by themselves when the mute ends.\n",
        );
        return 0;
      }
      case "unmute": {
        const done = await unmuteFailure(client, tableName, command.fingerprint);
        if (!done) {
          deps.stderr(`incidents: ${command.fingerprint} is not muted (see npm run incidents -- mutes)\n`);
          return 1;
        }
        deps.stdout(`Unmuted ${command.fingerprint}: its next occurrence alerts (unless it alerted within its suppression window).\n`);
        return 0;
      }
      case "mutes": {
        const mutes = await listMutes(client, tableName, nowMs);
        deps.stdout(`${formatMutes(mutes, nowMs, tableName, config.region)}\n`);
        return 0;
      }
    }
  } catch (error) {
    const explained = explainIncidentsError(error, { tableName, table: "alert-suppression", region: config.region, environment: config.environment });
    const { name, message } = error as Error;
    deps.stderr(`incidents: ${explained ?? `${name}: ${message}`}\n`);
    return 1;
  }
}

/** The `mutes` listing: one line per mute with until when, who and why. */
export function formatMutes(mutes: readonly Mute[], nowMs: number, tableName: string, region: string): string {
  const header = `Mutes in force at ${new Date(nowMs).toISOString()} (table ${tableName}, ${region})`;
  if (mutes.length === 0) return `${header}\n\nNo failure is muted.`;
  const rows = mutes.map((mute) => [
    mute.fingerprint,
    new Date(mute.mutedUntilMs).toISOString(),
    remaining(mute.mutedUntilMs - nowMs),
    String(mute.seenCount),
    mute.mutedBy,
    mute.reason,
  ]);
  const titles = ["FINGERPRINT", "MUTED UNTIL (UTC)", "LEFT", "SEEN", "BY", "REASON"];
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
