import { decodeLogsEvent } from "./decode";
import type { LogsPayload } from "./logs-payload";
import { failureKeyOf } from "./suppression-schema";
import { emfRecord, failureRecords } from "./delivery-records";
import { buildIncidentsReport, Incident, SkippedEvent } from "./incident";
import { IncidentStore, IncidentWriteError } from "./incident-store";
import { AlertDeadline, AlertOutcome, raiseRealtimeAlerts, RealtimeAlertError, RealtimeAlerting } from "./realtime-alerts";

/** What the handler returns for one delivery. */
export interface DeliverySummary {
  /** Log events in the delivery (0 for a CONTROL_MESSAGE, which carries none of the application's). */
  readonly processed: number;
  /** Incident items written; a replayed delivery writes (overwrites) the same items and reports the same number. */
  readonly incidents_created: number;
  /** Real-time alerts published: failures that had not alerted within their suppression window (0 when alerts are off). */
  readonly alerts_published: number;
  /** Failures that were only counted, because they alerted within their suppression window (0 when alerts are off). */
  readonly alerts_suppressed: number;
  /** Failures alerted together in the delivery's digest, beyond the per-delivery alert limit (0 when none). */
  readonly alerts_digested: number;
}

/** The ports {@link processDelivery} works through. */
export interface ProcessDeliveryDependencies {
  /** Where incidents are written. */
  readonly store: IncidentStore;
  /** Days before an incident expires. */
  readonly ttlDays: number;
  /** Receives the one-line JSON summary of the delivery. */
  readonly log: (line: string) => void;
  /**
   * Real-time alerting.
   * @default none: no alert is published and no suppression window is touched (`REALTIME_ALERTS=false`)
   */
  readonly alerting?: RealtimeAlerting;
  /**
   * When the invocation must stop starting work (from the Lambda context).
   * @default none: no deadline (tests and tools)
   */
  readonly deadline?: AlertDeadline;
  /**
   * Receives the delivery's structured records, one line each: a JSON line per failure written, then, with
   * `metrics`, an embedded-metric-format line. The adapter writes them straight to standard output, so that Lambda's
   * JSON log format does not wrap them (an EMF line must be the whole log event).
   * @default none: no records
   */
  readonly records?: (line: string) => void;
  /**
   * Namespace and environment of the delivery metrics (EMF). @default none: failure records only
   */
  readonly metrics?: { readonly namespace: string; readonly environment: string };
  /**
   * Log groups whose deliveries are dropped unread (account-wide exclusion prefixes, account-scope.ts).
   * @default none excluded
   */
  readonly excludeLogGroup?: (logGroup: string) => boolean;
  /**
   * The current time in epoch milliseconds, to compare with `deadline`.
   * @default Date.now
   */
  readonly now?: () => number;
}

/** Both writing some incidents and alerting for some failures failed; the message has both reasons. */
export class DeliveryIncompleteError extends Error {
  constructor(
    readonly writeError: IncidentWriteError,
    readonly alertError: RealtimeAlertError,
  ) {
    super(`${writeError.message}. Also: ${alertError.message}`, { cause: writeError });
    this.name = "DeliveryIncompleteError";
  }
}

/** Log events that yielded no incident, even the fallback one (incident.ts); names each with the reason. */
export class UnreadableLogEventsError extends Error {
  constructor(readonly events: readonly SkippedEvent[]) {
    super(
      `${events.length} log event(s) could not be recorded as incidents (the others were): ` +
        events.slice(0, 5).map((e) => `${e.eventId}: ${e.reason}`).join("; ") +
        (events.length > 5 ? `; and ${events.length - 5} more` : ""),
    );
    this.name = "UnreadableLogEventsError";
  }
}

const NO_ALERTS: AlertOutcome = { published: 0, suppressed: 0, digested: 0, muted: 0 };

/** What became of one delivery of an invocation. */
export type DeliveryResult =
  | { readonly ok: true; readonly processed: number; readonly incidents: number; readonly payload: LogsPayload; readonly excluded: boolean }
  | { readonly ok: false; readonly error: Error };

/** What one invocation did with its deliveries: a result per delivery, in order, and the invocation's alerting. */
export interface DeliveriesOutcome {
  readonly results: readonly DeliveryResult[];
  readonly alerts: AlertOutcome;
  /** Incidents written, over every delivery. */
  readonly stored: number;
}

/**
 * Handles the deliveries of one invocation together (one for a direct CloudWatch Logs invocation, one per record of a
 * Kinesis batch): decode each, turn error events into incidents, write every incident, then alert once per failure of
 * the whole invocation (so storm control, the alert limit and the digest hold per invocation, whatever the
 * transport). A delivery fails when it could not be decoded, when one of its incidents was not written, or when one
 * of its failures was not alerted (publish failed, another live owner holds the lease, the deadline came): the others
 * succeed. Never throws for one delivery's sake.
 */
export async function processDeliveries(events: readonly unknown[], dependencies: ProcessDeliveryDependencies): Promise<DeliveriesOutcome> {
  const now = dependencies.now ?? Date.now;
  const { deadline } = dependencies;
  const nearDeadline = (): boolean => deadline !== undefined && now() >= deadline.stopStartingAtMs;

  type Decoded =
    | { readonly payload: LogsPayload; readonly incidents: readonly Incident[]; readonly skipped: readonly SkippedEvent[]; readonly excluded: boolean }
    | { readonly error: Error };
  const decoded = events.map((event): Decoded => {
    try {
      const payload = decodeLogsEvent(event);
      if (payload.messageType === "DATA_MESSAGE" && dependencies.excludeLogGroup?.(payload.logGroup) === true) {
        dependencies.log(JSON.stringify({ summary: "log delivery skipped: excluded log group", log_group: payload.logGroup }));
        return { payload, incidents: [], skipped: [], excluded: true };
      }
      const report = buildIncidentsReport(payload, { ttlDays: dependencies.ttlDays });
      return { payload, incidents: report.incidents, skipped: report.skipped, excluded: false };
    } catch (error) {
      return { error: error instanceof Error ? error : new Error(String(error)) };
    }
  });
  const incidents = decoded.flatMap((d) => ("incidents" in d ? d.incidents : []));

  let writeError: IncidentWriteError | undefined;
  try {
    if (incidents.length > 0) await dependencies.store.putAll(incidents, nearDeadline);
  } catch (error) {
    if (!(error instanceof IncidentWriteError)) throw error;
    writeError = error;
  }
  const notWritten = writeError?.failedIncidentIds ?? new Set<string>();
  const stored = incidents.filter((i) => !notWritten.has(i.incidentId));

  let alerts = NO_ALERTS;
  let alertError: RealtimeAlertError | undefined;
  if (dependencies.alerting !== undefined && stored.length > 0) {
    try {
      // Lease owners derive from every incident of the invocation in delivery order, written or not, so that a
      // retry of the same delivery derives the same owners whatever was written the first time.
      alerts = await raiseRealtimeAlerts(stored, dependencies.alerting, deadline, incidents);
    } catch (error) {
      if (!(error instanceof RealtimeAlertError)) throw error;
      alertError = error;
      alerts = error.outcome;
    }
  }

  const results = decoded.map((d): DeliveryResult => {
    if ("error" in d) return { ok: false, error: d.error };
    const unwritten = d.incidents.some((i) => notWritten.has(i.incidentId));
    const unalerted = alertError !== undefined && d.incidents.some((i) => alertError.failureKeys.has(failureKeyOf(i)));
    if (unwritten && unalerted) return { ok: false, error: new DeliveryIncompleteError(writeError as IncidentWriteError, alertError as RealtimeAlertError) };
    if (unwritten) return { ok: false, error: writeError as IncidentWriteError };
    if (unalerted) return { ok: false, error: alertError as RealtimeAlertError };
    // Stored and alerted what it could; an event that yielded no incident at all fails its delivery, so that the
    // delivery is kept (dead-letter queue, or the stream's on-failure destination) instead of lost.
    if (d.skipped.length > 0) return { ok: false, error: new UnreadableLogEventsError(d.skipped) };
    const processed = d.payload.messageType === "DATA_MESSAGE" && !d.excluded ? d.payload.logEvents.length : 0;
    return { ok: true, processed, incidents: d.incidents.length, payload: d.payload, excluded: d.excluded };
  });

  if (dependencies.records !== undefined) {
    for (const line of failureRecords(stored)) dependencies.records(line);
    if (dependencies.metrics !== undefined) {
      dependencies.records(
        emfRecord(
          {
            incidentsWritten: stored.length,
            alertsPublished: alerts.published,
            alertsSuppressed: alerts.suppressed - (alerts.muted ?? 0),
            alertsMuted: alerts.muted ?? 0,
          },
          { ...dependencies.metrics, timestampMs: now() },
        ),
      );
    }
  }
  return { results, alerts, stored: stored.length };
}

/**
 * Handles one CloudWatch Logs subscription event: decode, turn error events into incidents, write them, then
 * alert once per failure that has not alerted within its suppression window.
 *
 * Incidents are written before any alert is attempted, so a failed publish never loses an incident: the retry
 * rewrites identical items and alerts again. Poison isolation: an incident that cannot be written does not stop
 * the others, and every failure whose incidents were written alerts before the invocation fails for the rest.
 *
 * Anything that cannot be processed throws (a malformed event, a failed write, an alert that could not be
 * published, a failure another live invocation is alerting): Lambda then retries the asynchronous invocation and
 * finally keeps the event in the dead-letter queue, instead of losing it.
 */
export async function processDelivery(event: unknown, dependencies: ProcessDeliveryDependencies): Promise<DeliverySummary> {
  const { results, alerts } = await processDeliveries([event], dependencies);
  const result = results[0] as DeliveryResult;
  if (!result.ok) throw result.error;
  const { payload } = result;
  const summary: DeliverySummary = {
    processed: result.processed,
    incidents_created: result.incidents,
    alerts_published: alerts.published,
    alerts_suppressed: alerts.suppressed,
    alerts_digested: alerts.digested,
  };
  if (result.excluded) return summary;
  dependencies.log(
    JSON.stringify({
      summary: "log delivery processed",
      message_type: payload.messageType,
      ...(payload.messageType === "DATA_MESSAGE" ? { log_group: payload.logGroup, log_stream: payload.logStream } : {}),
      ...summary,
      alerts_muted: alerts.muted ?? 0,
    }),
  );
  return summary;
}
