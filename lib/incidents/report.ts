import { errorFirstLine } from "../../handlers/log-processor/alert-message";
import { Incident } from "../../handlers/log-processor/incident";
import { maxSeverity, Severity } from "../../handlers/log-processor/severity";

/** One failure (fingerprint) in the period: how often, when first and last, how bad at worst. */
export interface IncidentGroup {
  readonly fingerprint: string;
  readonly count: number;
  /** Earliest `occurred_at` in the period. */
  readonly firstSeen: string;
  /** Latest `occurred_at` in the period. */
  readonly lastSeen: string;
  /** The highest severity among its incidents. */
  readonly severity: Severity;
  /** The error's first line, from the latest incident. */
  readonly error: string;
  /** Log groups it occurred in, sorted. */
  readonly logGroups: readonly string[];
}

/** Errors in listings are cut here, so one line stays one line on a terminal. */
const MAX_ERROR_WIDTH = 100;

/**
 * Groups incidents by fingerprint, most frequent first (then most recent first, then by fingerprint, so that the
 * order is total and the output stable).
 */
export function groupIncidents(incidents: readonly Incident[]): IncidentGroup[] {
  const groups = new Map<string, { incidents: Incident[] }>();
  for (const incident of incidents) {
    const group = groups.get(incident.fingerprint) ?? { incidents: [] };
    group.incidents.push(incident);
    groups.set(incident.fingerprint, group);
  }
  return [...groups]
    .map(([fingerprint, { incidents: members }]): IncidentGroup => {
      const times = members.map((incident) => incident.occurredAt).sort();
      const latest = members.reduce((a, b) => (b.occurredAt > a.occurredAt ? b : a));
      return {
        fingerprint,
        count: members.length,
        firstSeen: times[0] as string,
        lastSeen: times[times.length - 1] as string,
        severity: members.reduce<Severity | undefined>(
          (worst, incident) => maxSeverity(worst, incident.severity),
          undefined,
        ) as Severity,
        error: errorFirstLine(latest.message),
        logGroups: [...new Set(members.map((incident) => incident.logGroup))].sort(),
      };
    })
    .sort(
      (a, b) => b.count - a.count || b.lastSeen.localeCompare(a.lastSeen) || a.fingerprint.localeCompare(b.fingerprint),
    );
}

/** Columns a listing may leave out because the query already fixes them (the header names the value). */
export interface ColumnChoice {
  /** Show the log group of each row. @default true */
  readonly logGroup?: boolean;
  /** Show the fingerprint of each row. @default true */
  readonly fingerprint?: boolean;
  /** Show the AWS account of each row (`-` for items stored before the account was). @default false */
  readonly account?: boolean;
}

/** The incidents as a table, newest first as given: time, severity, fingerprint, log group, error. */
export function formatIncidentTable(incidents: readonly Incident[], columns: ColumnChoice = {}): string {
  const shown = selectColumns<Incident>([
    ["OCCURRED AT (UTC)", (incident) => incident.occurredAt, true],
    ["SEVERITY", (incident) => incident.severity, true],
    ["FINGERPRINT", (incident) => incident.fingerprint, columns.fingerprint ?? true],
    ["ACCOUNT", (incident) => incident.accountId ?? "-", columns.account ?? false],
    ["LOG GROUP", (incident) => incident.logGroup, columns.logGroup ?? true],
    ["ERROR", (incident) => clip(errorFirstLine(incident.message)), true],
  ]);
  return table(
    shown.map(([title]) => title),
    incidents.map((incident) => shown.map(([, cell]) => cell(incident))),
  );
}

/** The groups as a table: count, first and last seen, severity, fingerprint, log groups, error. */
export function formatGroupTable(
  groups: readonly IncidentGroup[],
  columns: Pick<ColumnChoice, "logGroup"> = {},
): string {
  const shown = selectColumns<IncidentGroup>([
    ["COUNT", (group) => String(group.count), true],
    ["FIRST SEEN (UTC)", (group) => group.firstSeen, true],
    ["LAST SEEN (UTC)", (group) => group.lastSeen, true],
    ["SEVERITY", (group) => group.severity, true],
    ["FINGERPRINT", (group) => group.fingerprint, true],
    ["LOG GROUPS", (group) => group.logGroups.join(","), columns.logGroup ?? true],
    ["ERROR", (group) => clip(group.error), true],
  ]);
  return table(
    shown.map(([title]) => title),
    groups.map((group) => shown.map(([, cell]) => cell(group))),
    [true],
  );
}

type Column<T> = readonly [title: string, cell: (row: T) => string, shown: boolean];

function selectColumns<T>(columns: readonly Column<T>[]): Column<T>[] {
  return columns.filter(([, , shown]) => shown);
}

/**
 * Left-aligned columns two spaces apart (right-aligned where `rightAligned[i]`); the last column is not padded,
 * so no line has trailing spaces.
 */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: readonly boolean[] = [],
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        if (column === cells.length - 1) return cell;
        const width = widths[column] as number;
        return rightAligned[column] ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

function clip(text: string): string {
  const single = text.replace(/\s+/g, " ");
  const characters = Array.from(single);
  return characters.length <= MAX_ERROR_WIDTH ? single : `${characters.slice(0, MAX_ERROR_WIDTH - 3).join("")}...`;
}
