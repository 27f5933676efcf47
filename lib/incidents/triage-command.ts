/**
 * `npm run incidents -- resolve|ignore|reopen <fingerprint> ...` and `list [--state S] [--json]`: the triage of
 * failures (docs/alert-state-machine.md, "Triage"), kept on each failure's item in the alert-suppression table with
 * who changed it (the caller's identity from sts:GetCallerIdentity) and when.
 */
import { resourceName } from "../../config/naming";
import { TriageState } from "../../handlers/log-processor/suppression-schema";
import { parseArgs } from "../cli/args";
import { FailureSummary, IgnoreCondition, describeIgnore, ignoreFailure, listFailures, reopenFailure, resolveFailure } from "../triage/triage-store";
import { reportSuppressionTableError, setUpCommand } from "./command-setup";
import { UsageError } from "./cli-options";
import { describeScope, flagValues, MuteCommandDependencies, MuteTarget, noScopeLine, scopesOf, targetOf } from "./mute-command";
import type { ExitCode } from "./run-incidents";

/** The subcommands this module runs. */
export const TRIAGE_SUBCOMMANDS = ["resolve", "ignore", "reopen", "list"] as const;

/** Longest ignore until a time: 90 days (the item's retention, triage-store.ts TRIAGE_RETENTION_SECONDS). */
export const MAX_IGNORE_MS = 90 * 86_400_000;
/** The largest count or rate an ignore takes. */
export const MAX_IGNORE_COUNT = 1_000_000;

/** Usage of the triage subcommands. */
export const TRIAGE_USAGE = `Usage: npm run incidents -- resolve <fingerprint> [--in-release <release>] [--log-group <group>] [--account <id>]
       npm run incidents -- ignore <fingerprint> --until <time | N | N/h> [--log-group <group>] [--account <id>]
       npm run incidents -- reopen <fingerprint> [--log-group <group>] [--account <id>]
       npm run incidents -- list [--state open|resolved|ignored|regressed] [--json]

resolve: the failure is fixed. Its next occurrence alerts at once as REGRESSED (through its suppression window, once),
  on the critical topic too when it is FATAL or CRITICAL. With --in-release R, only an occurrence of release R or a
  later one regresses it (releases compare as whole numbers or semantic versions; an occurrence whose release is
  unknown regresses it).
ignore: a known failure you accept. Its occurrences are still recorded and counted, but alert nothing until:
  --until 2026-12-24T00:00:00Z   a time (ISO-8601, at most 90 days ahead);
  --until 100                    its 100th occurrence from now;
  --until 50/h                   it occurs 50 times within one clock hour (UTC).
  The occurrence that meets the condition alerts at once, saying why, and the failure is open again.
reopen: back to open (from resolved, ignored or regressed): it alerts as any failure does.
list: failures by triage state, most recently seen first (open includes neither resolved, ignored nor regressed).

Who changed the state is the caller's identity (sts:GetCallerIdentity). A mute (npm run incidents -- mute) is separate
and always wins: a muted failure alerts nothing, resolved or not. Without --log-group, the subcommand acts on every log
group and account where the fingerprint has alerted or been counted.

  --in-release R    the release the fix ships in (1 to 128 characters)
  --until COND      when an ignore ends (above)
  --state S         only failures in this state
  --json            one JSON object instead of the table
  --log-group NAME  only this log group
  --account ID      only this source account (12 digits)`;

/** A parsed triage subcommand. */
export type TriageCommand =
  | ({ readonly kind: "resolve"; readonly inRelease?: string | undefined } & MuteTarget)
  | ({ readonly kind: "ignore"; readonly until: IgnoreCondition } & MuteTarget)
  | ({ readonly kind: "reopen" } & MuteTarget)
  | { readonly kind: "list"; readonly state?: TriageState | undefined; readonly json: boolean };

const STATES: readonly TriageState[] = ["open", "resolved", "ignored", "regressed"];

/** Parses `--until`: an ISO-8601 time, a whole number of occurrences, or a number per hour. @throws UsageError */
export function parseIgnoreUntil(text: string, nowMs: number): IgnoreCondition {
  const count = /^([1-9]\d{0,6})$/.exec(text);
  if (count) {
    const occurrences = Number(count[1]);
    if (occurrences > MAX_IGNORE_COUNT) throw new UsageError(`--until ${text}: at most ${MAX_IGNORE_COUNT} occurrences`);
    return { kind: "count", occurrences };
  }
  const rate = /^([1-9]\d{0,6})\/h$/.exec(text);
  if (rate) {
    const perHour = Number(rate[1]);
    if (perHour > MAX_IGNORE_COUNT) throw new UsageError(`--until ${text}: at most ${MAX_IGNORE_COUNT} per hour`);
    return { kind: "rate", perHour };
  }
  // A time with a date, a time of day and a zone (Z or ±hh:mm): nothing left to the machine's local time zone.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const untilMs = Date.parse(text);
    if (!Number.isFinite(untilMs)) throw new UsageError(`--until ${JSON.stringify(text)} is not a valid time`);
    if (untilMs <= nowMs) throw new UsageError(`--until ${text} is in the past`);
    if (untilMs - nowMs > MAX_IGNORE_MS) throw new UsageError(`--until ${text} is more than 90 days ahead`);
    return { kind: "time", untilMs };
  }
  throw new UsageError(`--until takes a time (2026-12-24T00:00:00Z), a number of occurrences (100) or a rate (50/h), not ${JSON.stringify(text)}`);
}

/** Parses `resolve|ignore|reopen|list ...`. @throws UsageError naming the problem. */
export function parseTriageArgs(args: readonly string[], nowMs: number): TriageCommand {
  const [subcommand, ...rest] = args;
  if (!(TRIAGE_SUBCOMMANDS as readonly string[]).includes(subcommand ?? "")) throw new UsageError(`unknown subcommand ${JSON.stringify(subcommand)}`);
  const scopeOptions = { "--log-group": "value", "--account": "value" } as const;
  const options =
    subcommand === "resolve"
      ? { "--in-release": "value", ...scopeOptions }
      : subcommand === "ignore"
        ? { "--until": "value", ...scopeOptions }
        : subcommand === "reopen"
          ? scopeOptions
          : { "--state": "value", "--json": "flag" };
  const parsed = parseArgs(rest, { options: options as Record<string, "value" | "flag">, positionals: { max: subcommand === "list" ? 0 : 1, name: "fingerprint" } });
  const flags = flagValues(parsed.values);
  const target = (): MuteTarget => targetOf(subcommand as string, parsed.positionals, flags, { storm: false });
  switch (subcommand) {
    case "resolve": {
      const inRelease = flags.get("--in-release");
      if (inRelease !== undefined && inRelease.length > 128) throw new UsageError(`--in-release is ${inRelease.length} characters long; at most 128`);
      return { kind: "resolve", ...target(), inRelease };
    }
    case "ignore": {
      const scope = target();
      const until = flags.get("--until");
      if (until === undefined) throw new UsageError("ignore needs --until (a time, a number of occurrences, or a rate such as 50/h)");
      return { kind: "ignore", ...scope, until: parseIgnoreUntil(until, nowMs) };
    }
    case "reopen":
      return { kind: "reopen", ...target() };
    default: {
      const state = flags.get("--state");
      if (state !== undefined && !(STATES as readonly string[]).includes(state)) throw new UsageError(`--state takes ${STATES.join(", ")}, not ${JSON.stringify(state)}`);
      return { kind: "list", state: state as TriageState | undefined, json: parsed.flags.has("--json") };
    }
  }
}

/** Runs a triage subcommand. Exit 0 done, 1 AWS error (or nothing to reopen), 2 bad usage or configuration. */
export async function runTriageCommand(args: readonly string[], deps: MuteCommandDependencies): Promise<ExitCode> {
  if (args.includes("--help") || args.includes("-h")) {
    deps.stdout(`${TRIAGE_USAGE}\n`);
    return 0;
  }
  const nowMs = deps.now();
  const setUp = setUpCommand(() => parseTriageArgs(args, nowMs), deps.env, deps.stderr);
  if (setUp === 0 || setUp === 2) return setUp;
  const { command, config } = setUp;
  const tableName = resourceName(config, "alert-suppression");
  const client = deps.createClient(config.region);
  try {
    if (command.kind === "list") {
      const failures = await listFailures(client, tableName, { nowMs, state: command.state });
      deps.stdout(command.json ? `${JSON.stringify({ table: tableName, region: config.region, at: new Date(nowMs).toISOString(), state: command.state ?? "all", failures })}\n` : `${formatFailures(failures, nowMs, tableName, config.region, command.state)}\n`);
      return 0;
    }
    const scopes = await scopesOf(client, tableName, command);
    if (scopes.length === 0) {
      deps.stderr(`incidents: ${noScopeLine(command).replace(/ to mute it/, ` to ${command.kind} it`)}\n`);
      return 2;
    }
    const by = await deps.whoAmI();
    let changed = 0;
    for (const scope of scopes) {
      if (command.kind === "resolve") {
        await resolveFailure(client, tableName, { scope, inRelease: command.inRelease, by, nowMs });
        deps.stdout(`Resolved ${describeScope(scope)}${command.inRelease === undefined ? "" : ` in release ${command.inRelease}`} (by ${by}): its next occurrence${command.inRelease === undefined ? "" : " of that release or a later one"} alerts as regressed.\n`);
        changed++;
      } else if (command.kind === "ignore") {
        await ignoreFailure(client, tableName, { scope, until: command.until, by, nowMs });
        deps.stdout(`Ignored ${describeScope(scope)} ${describeIgnore(command.until)} (by ${by}): recorded and counted, no alert until then.\n`);
        changed++;
      } else if (await reopenFailure(client, tableName, { scope, by, nowMs })) {
        deps.stdout(`Reopened ${describeScope(scope)} (by ${by}).\n`);
        changed++;
      }
    }
    if (changed === 0) {
      deps.stderr(`incidents: ${command.fingerprint} is open already (see npm run incidents -- list)\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    return reportSuppressionTableError(error, tableName, config, deps.stderr);
  }
}

/** The `list` table: one line per failure. */
export function formatFailures(failures: readonly FailureSummary[], nowMs: number, tableName: string, region: string, state: TriageState | undefined): string {
  const header = `Failures${state === undefined ? "" : ` ${state}`} at ${new Date(nowMs).toISOString()} (table ${tableName}, ${region})`;
  if (failures.length === 0) return `${header}\n\nNo failure${state === undefined ? "" : ` is ${state}`}.`;
  const iso = (ms: number | undefined): string => (ms === undefined ? "-" : new Date(ms).toISOString().slice(0, 19) + "Z");
  const rows = failures.map((f) => [
    f.state + (f.mutedUntilMs === undefined ? "" : " (muted)"),
    f.fingerprint,
    f.logGroup,
    f.accountId ?? "-",
    String(f.seenTotal),
    iso(f.firstSeenAtMs),
    iso(f.lastSeenAtMs),
    f.firstRelease === undefined && f.lastRelease === undefined ? "-" : `${f.firstRelease ?? "?"}..${f.lastRelease ?? "?"}`,
    f.triageBy === undefined ? "-" : `${f.triageBy} ${iso(f.triageAtMs)}${f.note === undefined ? "" : ` (${f.note})`}`,
  ]);
  const titles = ["STATE", "FINGERPRINT", "LOG GROUP", "ACCOUNT", "SEEN", "FIRST SEEN", "LAST SEEN", "RELEASES", "CHANGED BY"];
  const widths = titles.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] as number))).join("  ").trimEnd();
  return [header, "", line(titles), ...rows.map(line), "", `${failures.length} ${failures.length === 1 ? "failure" : "failures"}.`].join("\n");
}
