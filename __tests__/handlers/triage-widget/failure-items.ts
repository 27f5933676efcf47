import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDbItem } from "../../../handlers/log-processor/incident-item";
import { failureKeyOf, FailureScope, SUPPRESSION_ATTRIBUTES as A, TriageState, UNKNOWN_ACCOUNT } from "../../../handlers/log-processor/suppression-schema";
import { putSuppressionItem } from "../../support/suppression-table";

/** A failure's item as the processor and triage leave it, for the widget's tests. */
export interface FailureFixture {
  readonly scope: FailureScope;
  readonly seenTotal?: number;
  readonly firstSeenAtMs?: number;
  readonly lastSeenAtMs?: number;
  readonly firstRelease?: string;
  readonly lastRelease?: string;
  readonly state?: TriageState;
  readonly triageBy?: string;
  readonly triageAtMs?: number;
  readonly note?: string;
  readonly mutedUntilMs?: number;
}

/** The raw item of a fixture. */
export function failureItem(fixture: FailureFixture): DynamoDbItem {
  const item: DynamoDbItem = {
    [A.failureKey]: { S: failureKeyOf(fixture.scope) },
    [A.fingerprint]: { S: fixture.scope.fingerprint },
    [A.logGroup]: { S: fixture.scope.logGroup },
    [A.accountId]: { S: fixture.scope.accountId ?? UNKNOWN_ACCOUNT },
    [A.seenTotal]: { N: String(fixture.seenTotal ?? 1) },
  };
  const number = (name: string, value: number | undefined) => {
    if (value !== undefined) item[name] = { N: String(value) };
  };
  const text = (name: string, value: string | undefined) => {
    if (value !== undefined) item[name] = { S: value };
  };
  number(A.firstSeenAt, fixture.firstSeenAtMs);
  number(A.lastSeenAt, fixture.lastSeenAtMs);
  text(A.firstRelease, fixture.firstRelease);
  text(A.lastRelease, fixture.lastRelease);
  if (fixture.state !== undefined && fixture.state !== "open") item[A.triage] = { S: fixture.state };
  text(A.triageBy, fixture.triageBy);
  number(A.triageAt, fixture.triageAtMs);
  text(A.triageNote, fixture.note);
  number(A.mutedUntil, fixture.mutedUntilMs);
  return item;
}

/** Writes a fixture's item as it is. */
export async function putFailure(client: DynamoDBClient, tableName: string, fixture: FailureFixture): Promise<void> {
  await putSuppressionItem(client, tableName, failureItem(fixture));
}

/** The dashboard's widget context for a time range, as the console sends it (widget-event.ts). */
export function widgetContext(range: { readonly startMs: number; readonly endMs: number }, dashboardName = "log-monitor-prod-overview-eu-west-1") {
  return {
    dashboardName,
    widgetId: "widget-7",
    accountId: "123456789012",
    locale: "en",
    timezone: { label: "UTC", offsetISO: "+00:00", offsetInMinutes: 0 },
    period: 300,
    isAutoPeriod: true,
    timeRange: { mode: "relative", start: range.startMs, end: range.endMs, relativeStart: range.endMs - range.startMs },
    theme: "light",
    linkCharts: true,
    title: "Failure triage",
    forms: { all: {} },
    params: {},
    width: 1200,
    height: 400,
  };
}
