import { QueryCommand, QueryCommandOutput } from "@aws-sdk/client-dynamodb";
import { resourceName } from "../../config/naming";
import { fromIncidentItem } from "../../handlers/log-processor/incident-item";
import { BY_FINGERPRINT_INDEX, BY_LOG_GROUP_INDEX } from "../../handlers/log-processor/incident-schema";
import { Incident } from "../../handlers/log-processor/incident";
import { explainIncidentsError } from "./aws-errors";
import { setUpCommand } from "./command-setup";
import { explainError, reportError } from "../cli/errors";
import { INCIDENTS_USAGE, IncidentsCliOptions, parseIncidentsArgs } from "./cli-options";
import { IncidentQueryPlan, planIncidentQuery, toQueryInput } from "./query-plan";
import { formatGroupTable, formatIncidentTable, groupIncidents } from "./report";

/** The one DynamoDB call the command makes; `DynamoDBClient` satisfies it. */
export interface IncidentQueryClient {
  send(command: QueryCommand): Promise<QueryCommandOutput>;
}

/** What `npm run incidents` needs from its surroundings; the script passes the real ones, tests their own. */
export interface IncidentsCommandDependencies {
  /** The environment (`LOG_MONITOR_ENV`, `AWS_REGION`, ...), read once through `loadConfig`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A DynamoDB client for the region, using the standard credential chain. */
  readonly createClient: (region: string) => IncidentQueryClient;
  /** The current time in milliseconds since the epoch. */
  readonly now: () => number;
  /** Writes to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
}

/** Exit codes: 0 done (even with nothing found), 1 the query failed, 2 bad usage or configuration. */
export type ExitCode = 0 | 1 | 2;

/**
 * Runs `npm run incidents` with the given arguments: parses them, reads the configuration, queries one index
 * partition page by page (stopping at --limit when listing), and prints a table.
 */
export async function runIncidentsCommand(
  args: readonly string[],
  deps: IncidentsCommandDependencies,
): Promise<ExitCode> {
  // --help is answered before the configuration is read: it needs none.
  const setUp = setUpCommand(() => parseIncidentsArgs(args), deps.env, deps.stderr, (parsed) => {
    if (parsed.help) deps.stdout(`${INCIDENTS_USAGE}\n`);
    return parsed.help;
  });
  if (setUp === 0 || setUp === 2) return setUp;
  const { command: options, config } = setUp;

  const tableName = resourceName(config, "incidents");
  const plan = planIncidentQuery(options, { environment: config.environment, nowMs: deps.now() });
  const client = deps.createClient(config.region);

  let incidents: Incident[];
  let more: boolean;
  try {
    ({ incidents, more } = await readIncidents(
      client,
      plan,
      tableName,
      options.groups ? Number.POSITIVE_INFINITY : options.limit,
      options.account,
    ));
  } catch (error) {
    const explained = explainIncidentsError(error, {
      tableName,
      indexName: plan.index.name,
      region: config.region,
      environment: config.environment,
    });
    // The shared mapping gives the exit status (2 for credentials, 1 for AWS and the network) and the message for
    // everything the incidents-specific one does not know (the network, an unknown profile).
    const profile = deps.env["AWS_PROFILE"];
    const context = { service: "DynamoDB", region: config.region, ...(profile ? { profile } : {}) };
    if (explained !== undefined && !(profile && (error as Error).name === "CredentialsProviderError")) {
      deps.stderr(`incidents: ${explained}\n`);
      return explainError(error, context).status;
    }
    return reportError("incidents", error, deps, context);
  }

  if (options.json) {
    deps.stdout(`${JSON.stringify(jsonReport(plan, options, tableName, config.region, incidents, more))}\n`);
    return 0;
  }
  deps.stdout(`${header(plan, options, tableName, config.region)}\n\n`);
  if (incidents.length === 0) {
    deps.stdout(`No ${plan.subject} since ${plan.sinceIso}.\n`);
    return 0;
  }
  // A column whose value the query fixes is in the header instead.
  const byLogGroup = plan.index === BY_LOG_GROUP_INDEX;
  if (options.groups) {
    const groups = groupIncidents(incidents);
    deps.stdout(
      `${formatGroupTable(groups, { logGroup: !byLogGroup })}\n\n${count(groups.length, "failure")}, ${count(
        incidents.length,
        "incident",
      )}.\n`,
    );
  } else {
    const shown = `${count(incidents.length, "incident")}${
      more ? ` shown; there are more (raise --limit above ${options.limit} or shorten --since)` : ""
    }.`;
    // The account column appears when the listing spans several accounts (cross-account delivery).
    const accounts = new Set(incidents.map((incident) => incident.accountId ?? ""));
    const columns = { logGroup: !byLogGroup, fingerprint: plan.index !== BY_FINGERPRINT_INDEX, account: options.account === undefined && accounts.size > 1 };
    deps.stdout(`${formatIncidentTable(incidents, columns)}\n\n${shown}\n`);
  }
  return 0;
}

/**
 * Reads the plan's partitions (every shard of a log group or of a fingerprint) in parallel, each newest first and
 * up to `limit` incidents, then merges them newest first (ties by incident id, so the order is stable) and keeps
 * `limit`; `more` tells whether any were left unread. Each shard holds at most `limit` of the newest overall, so
 * reading `limit` per shard is enough.
 */
async function readIncidents(
  client: IncidentQueryClient,
  plan: IncidentQueryPlan,
  tableName: string,
  limit: number,
  account: string | undefined,
): Promise<{ incidents: Incident[]; more: boolean }> {
  const shards = await Promise.all(plan.partitionKeys.map((key) => readPartition(client, plan, tableName, key, limit, account)));
  const merged = shards
    .flatMap((shard) => shard.incidents)
    .sort((a, b) => (a.occurredAt === b.occurredAt ? a.incidentId.localeCompare(b.incidentId) : a.occurredAt < b.occurredAt ? 1 : -1));
  const more = merged.length > limit || shards.some((shard) => shard.more);
  return { incidents: merged.slice(0, limit), more };
}

/** One partition newest first, up to `limit` incidents. */
async function readPartition(
  client: IncidentQueryClient,
  plan: IncidentQueryPlan,
  tableName: string,
  partitionKey: string,
  limit: number,
  account: string | undefined,
): Promise<{ incidents: Incident[]; more: boolean }> {
  const incidents: Incident[] = [];
  let startKey: QueryCommandOutput["LastEvaluatedKey"];
  do {
    const page = await client.send(new QueryCommand(toQueryInput(plan, tableName, startKey, partitionKey)));
    for (const item of page.Items ?? []) {
      const incident = fromIncidentItem(item);
      // --account: a client-side filter (no index is keyed by account); skipped items do not count toward the limit.
      if (account !== undefined && incident.accountId !== account) continue;
      if (incidents.length === limit) return { incidents, more: true };
      incidents.push(incident);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return { incidents, more: false };
}

/**
 * `--json`: one document with the query (table, index, period, filters) and either the incidents, newest first, or
 * (with `--groups`) the failures with their counts; the fields are the listing's, with their full values.
 */
function jsonReport(
  plan: IncidentQueryPlan,
  options: IncidentsCliOptions,
  tableName: string,
  region: string,
  incidents: readonly Incident[],
  more: boolean,
): Record<string, unknown> {
  const query = {
    table: tableName,
    region,
    index: plan.index.name,
    since: plan.sinceIso,
    sinceText: options.sinceText,
    ...(options.logGroup === undefined ? {} : { logGroup: options.logGroup }),
    ...(options.fingerprint === undefined ? {} : { fingerprint: options.fingerprint }),
    ...(options.account === undefined ? {} : { account: options.account }),
    defaultLogGroup: plan.defaultLogGroup,
  };
  if (options.groups) return { query, incidentCount: incidents.length, failures: groupIncidents(incidents) };
  return { query, limit: options.limit, more, incidents };
}

function header(plan: IncidentQueryPlan, options: IncidentsCliOptions, tableName: string, region: string): string {
  const what = options.groups
    ? `Failures (by fingerprint) among ${plan.subject}`
    : `${capitalise(plan.subject)}, newest first,`;
  const lines = [
    `${what} since ${plan.sinceIso} (last ${options.sinceText})`,
    `Table ${tableName} (${region}), index ${plan.index.name}`,
  ];
  if (plan.defaultLogGroup) lines.push("(no --log-group or --fingerprint given: the test emitter's log group)");
  if (options.account !== undefined) lines.push(`Only account ${options.account} (filtered after reading the index)`);
  return lines.join("\n");
}

function capitalise(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
