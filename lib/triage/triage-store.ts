/**
 * Triage of failures in the alert-suppression table (docs/alert-state-machine.md, "Triage"): resolve, ignore and
 * reopen one failure scope (account, log group, fingerprint), and list failures by triage state. Shared by
 * `npm run incidents -- resolve|ignore|reopen|list` and the dashboard's triage widget (handlers/triage-widget).
 *
 * These writers own the triage attributes (`triage_state`, `triage_by`, `triage_at`, `triage_note`, the resolution's
 * release and the ignore's condition) and the scope attributes every writer sets alike; they never touch the alert
 * lease, window, mute, episode or notice attributes. `expires_at` is only ever raised (a resolution is kept
 * {@link TRIAGE_RETENTION_SECONDS}, so that a failure that comes back within that time regresses).
 */
import { AttributeValue, ScanCommand, ScanCommandOutput, UpdateItemCommand, UpdateItemCommandOutput } from "@aws-sdk/client-dynamodb";
import { raiseExpiry, scopeValues } from "../incidents/mute-store";
import { scanEvery } from "./scan-every";
import { releaseOrder } from "../../handlers/log-processor/release";
import { failureKeyOf, FailureScope, STORM_FINGERPRINT, SUPPRESSION_ATTRIBUTES, TRIAGE_STATES, TriageState, UNKNOWN_ACCOUNT } from "../../handlers/log-processor/suppression-schema";

/** The DynamoDB calls triage makes; `DynamoDBClient` satisfies it. */
export interface TriageClient {
  send(command: UpdateItemCommand): Promise<UpdateItemCommandOutput>;
  send(command: ScanCommand): Promise<ScanCommandOutput>;
}

const A = SUPPRESSION_ATTRIBUTES;

/**
 * How long a resolution or an ignore without an end keeps its item from DynamoDB's TTL: 90 days. A failure that comes
 * back later finds no item and alerts as a new failure (not as regressed): said in the docs.
 */
export const TRIAGE_RETENTION_SECONDS = 90 * 86_400;

/** When an ignore ends: at a time, at the Nth occurrence from now, or when it occurs N times in one clock hour. */
export type IgnoreCondition =
  | { readonly kind: "time"; readonly untilMs: number }
  | { readonly kind: "count"; readonly occurrences: number }
  | { readonly kind: "rate"; readonly perHour: number };

/** Who changed a failure's triage state, and when. */
export interface TriageActor {
  /** The caller's identity: an IAM ARN from sts:GetCallerIdentity (or the widget's caller), a user name otherwise. */
  readonly by: string;
  readonly nowMs: number;
}

/** How an ignore's condition reads (stored as the triage note; alerts and listings show it). */
export function describeIgnore(condition: IgnoreCondition): string {
  switch (condition.kind) {
    case "time":
      return `until ${new Date(condition.untilMs).toISOString()}`;
    case "count":
      return `until ${condition.occurrences} more ${condition.occurrences === 1 ? "occurrence" : "occurrences"}`;
    case "rate":
      return `until it occurs ${condition.perHour} times in a clock hour`;
  }
}


const SCOPE_SET = "#fingerprint = :fingerprint, #logGroup = :logGroup, #account = :account";
const SCOPE_NAMES = { "#fingerprint": A.fingerprint, "#logGroup": A.logGroup, "#account": A.accountId };
const IGNORE_NAMES = {
  "#ignoredUntil": A.ignoredUntil,
  "#ignoreUntilSeen": A.ignoreUntilSeen,
  "#ignoreRate": A.ignoreRate,
  "#ignoreHour": A.ignoreHour,
  "#ignoreHourCount": A.ignoreHourCount,
};
const IGNORE_REMOVE = "#ignoredUntil, #ignoreUntilSeen, #ignoreRate, #ignoreHour, #ignoreHourCount";


/**
 * Resolves a failure: its next occurrence (of `inRelease` or a later release, when given) alerts at once as
 * regressed, through any suppression window, once. An ignore is removed. A mute stays (a mute always wins).
 */
export async function resolveFailure(
  client: TriageClient,
  tableName: string,
  request: { readonly scope: FailureScope; readonly inRelease?: string | undefined } & TriageActor,
): Promise<void> {
  const order = request.inRelease === undefined ? undefined : releaseOrder(request.inRelease);
  const sets = [SCOPE_SET, "#triage = :resolved", "#by = :by", "#at = :now"];
  const removes = [IGNORE_REMOVE, "#note"];
  const values: Record<string, AttributeValue> = { ...scopeValues(request.scope), ":resolved": { S: TRIAGE_STATES.resolved }, ":by": { S: request.by }, ":now": { N: String(request.nowMs) } };
  if (request.inRelease === undefined) removes.push("#inRelease");
  else {
    sets.push("#inRelease = :inRelease");
    values[":inRelease"] = { S: request.inRelease };
  }
  if (order === undefined) removes.push("#inOrder");
  else {
    sets.push("#inOrder = :inOrder");
    values[":inOrder"] = { N: String(order) };
  }
  await client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: { [A.failureKey]: { S: failureKeyOf(request.scope) } },
      UpdateExpression: `SET ${sets.join(", ")} REMOVE ${removes.join(", ")}`,
      ExpressionAttributeNames: {
        ...SCOPE_NAMES,
        ...IGNORE_NAMES,
        "#triage": A.triage,
        "#by": A.triageBy,
        "#at": A.triageAt,
        "#note": A.triageNote,
        "#inRelease": A.resolvedInRelease,
        "#inOrder": A.resolvedInOrder,
      },
      ExpressionAttributeValues: values,
    }),
  );
  await raiseExpiry(client, tableName, request.scope, Math.ceil(request.nowMs / 1000) + TRIAGE_RETENTION_SECONDS);
}

/**
 * Ignores a failure until its condition is met: until then its occurrences are counted and stored as incidents, but
 * alert nothing (no quiet-again notice either); the occurrence that meets it alerts at once, saying why, and the
 * failure is open again.
 */
export async function ignoreFailure(
  client: TriageClient,
  tableName: string,
  request: { readonly scope: FailureScope; readonly until: IgnoreCondition } & TriageActor,
): Promise<void> {
  const { until } = request;
  const sets = [SCOPE_SET, "#triage = :ignored", "#by = :by", "#at = :now", "#note = :note"];
  const values: Record<string, AttributeValue> = {
    ...scopeValues(request.scope),
    ":ignored": { S: TRIAGE_STATES.ignored },
    ":by": { S: request.by },
    ":now": { N: String(request.nowMs) },
    ":note": { S: describeIgnore(until) },
  };
  const names: Record<string, string> = { ...SCOPE_NAMES, "#triage": A.triage, "#by": A.triageBy, "#at": A.triageAt, "#note": A.triageNote, "#inRelease": A.resolvedInRelease, "#inOrder": A.resolvedInOrder };
  const removes = ["#inRelease", "#inOrder"];
  // The condition's own attributes; the others of an earlier ignore are removed.
  const own: Record<IgnoreCondition["kind"], string[]> = { time: ["#ignoredUntil"], count: ["#ignoreUntilSeen"], rate: ["#ignoreRate", "#ignoreHour", "#ignoreHourCount"] };
  for (const [kind, attributes] of Object.entries(own)) if (kind !== until.kind) removes.push(...attributes);
  Object.assign(names, IGNORE_NAMES);
  if (until.kind === "time") {
    sets.push("#ignoredUntil = :until");
    values[":until"] = { N: String(until.untilMs) };
  } else if (until.kind === "count") {
    // The Nth occurrence from now: the item's total so far, plus N.
    sets.push("#ignoreUntilSeen = if_not_exists(#seenTotal, :zero) + :n");
    names["#seenTotal"] = A.seenTotal;
    values[":zero"] = { N: "0" };
    values[":n"] = { N: String(until.occurrences) };
  } else {
    sets.push("#ignoreRate = :rate", "#ignoreHour = :hour", "#ignoreHourCount = :zero");
    values[":rate"] = { N: String(until.perHour) };
    values[":hour"] = { N: String(Math.floor(request.nowMs / 3_600_000)) };
    values[":zero"] = { N: "0" };
  }
  await client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: { [A.failureKey]: { S: failureKeyOf(request.scope) } },
      UpdateExpression: `SET ${sets.join(", ")} REMOVE ${removes.join(", ")}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
  const keep = until.kind === "time" ? Math.ceil(until.untilMs / 1000) + 2 * 86_400 : Math.ceil(request.nowMs / 1000) + TRIAGE_RETENTION_SECONDS;
  await raiseExpiry(client, tableName, request.scope, keep);
}

/**
 * Reopens a resolved, ignored or regressed failure: open again, alerting as any failure does. Resolves false when it
 * was open already (no triage state).
 */
export async function reopenFailure(client: TriageClient, tableName: string, request: { readonly scope: FailureScope } & TriageActor): Promise<boolean> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { [A.failureKey]: { S: failureKeyOf(request.scope) } },
        UpdateExpression: `SET #by = :by, #at = :now, #note = :note REMOVE #triage, #inRelease, #inOrder, ${IGNORE_REMOVE}`,
        ConditionExpression: "attribute_exists(#triage)",
        ExpressionAttributeNames: { ...IGNORE_NAMES, "#triage": A.triage, "#by": A.triageBy, "#at": A.triageAt, "#note": A.triageNote, "#inRelease": A.resolvedInRelease, "#inOrder": A.resolvedInOrder },
        ExpressionAttributeValues: { ":by": { S: request.by }, ":now": { N: String(request.nowMs) }, ":note": { S: "reopened" } },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: unknown }).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

/** One failure as triage lists it. */
export interface FailureSummary extends FailureScope {
  readonly state: TriageState;
  /** Occurrences ever counted (approximate: replays count twice). */
  readonly seenTotal: number;
  readonly firstSeenAtMs?: number | undefined;
  readonly lastSeenAtMs?: number | undefined;
  readonly firstRelease?: string | undefined;
  readonly lastRelease?: string | undefined;
  /** Who last changed its triage state, when, and the note (the ignore's condition, "reopened", ...). */
  readonly triageBy?: string | undefined;
  readonly triageAtMs?: number | undefined;
  readonly note?: string | undefined;
  readonly resolvedInRelease?: string | undefined;
  /** Muted until this time (epoch ms), when a mute is in force. */
  readonly mutedUntilMs?: number | undefined;
  /** The error's first line as the latest claim saw it (cut), for a Logs Insights filter. */
  readonly text?: string | undefined;
}

function numberOf(item: Record<string, AttributeValue>, name: string): number | undefined {
  const value = Number(item[name]?.N);
  return item[name]?.N === undefined || !Number.isFinite(value) ? undefined : value;
}

/** The summary of one suppression item. */
export function summaryOf(item: Record<string, AttributeValue>, nowMs: number): FailureSummary {
  const account = item[A.accountId]?.S;
  const triage = item[A.triage]?.S;
  const state: TriageState = triage === TRIAGE_STATES.resolved || triage === TRIAGE_STATES.ignored || triage === TRIAGE_STATES.regressed ? triage : "open";
  const mutedUntil = numberOf(item, A.mutedUntil);
  return {
    fingerprint: item[A.fingerprint]?.S ?? "",
    logGroup: item[A.logGroup]?.S ?? "",
    ...(account === undefined || account === UNKNOWN_ACCOUNT ? {} : { accountId: account }),
    state,
    seenTotal: numberOf(item, A.seenTotal) ?? numberOf(item, A.seenCount) ?? 0,
    firstSeenAtMs: numberOf(item, A.firstSeenAt) ?? numberOf(item, A.episodeStartedAt),
    lastSeenAtMs: numberOf(item, A.lastSeenAt),
    firstRelease: item[A.firstRelease]?.S,
    lastRelease: item[A.lastRelease]?.S,
    triageBy: item[A.triageBy]?.S,
    triageAtMs: numberOf(item, A.triageAt),
    note: item[A.triageNote]?.S,
    resolvedInRelease: item[A.resolvedInRelease]?.S,
    ...(item[A.failureText]?.S === undefined ? {} : { text: item[A.failureText]?.S }),
    ...(mutedUntil !== undefined && mutedUntil > nowMs ? { mutedUntilMs: mutedUntil } : {}),
  };
}

/**
 * The failures of the table (storm items left out), optionally only those in one triage state, most recently seen
 * first: a consistent Scan, every page. The table holds one item per failure seen within about a day, or triaged
 * within {@link TRIAGE_RETENTION_SECONDS}, so it stays small.
 */
export async function listFailures(
  client: TriageClient,
  tableName: string,
  filter: { readonly nowMs: number; readonly state?: TriageState | undefined; readonly seenSinceMs?: number | undefined },
): Promise<FailureSummary[]> {
  const failures: FailureSummary[] = [];
  await scanEvery(
    client,
    {
      TableName: tableName,
      ConsistentRead: true,
      FilterExpression: "#fingerprint <> :storm",
      ExpressionAttributeNames: { "#fingerprint": A.fingerprint },
      ExpressionAttributeValues: { ":storm": { S: STORM_FINGERPRINT } },
    },
    (item) => {
      const summary = summaryOf(item, filter.nowMs);
      if (filter.state !== undefined && summary.state !== filter.state) return;
      if (filter.seenSinceMs !== undefined && (summary.lastSeenAtMs ?? summary.triageAtMs ?? 0) < filter.seenSinceMs) return;
      failures.push(summary);
    },
  );
  return failures.sort(
    (a, b) => (b.lastSeenAtMs ?? 0) - (a.lastSeenAtMs ?? 0) || a.logGroup.localeCompare(b.logGroup) || a.fingerprint.localeCompare(b.fingerprint) || (a.accountId ?? "").localeCompare(b.accountId ?? ""),
  );
}
