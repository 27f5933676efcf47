import { decodeLogsEvent } from "./decode";
import { buildIncidents } from "./incident";
import { IncidentStore } from "./incident-store";

/** What the handler returns for one delivery. */
export interface DeliverySummary {
  /** Log events in the delivery (0 for a CONTROL_MESSAGE, which carries none of the application's). */
  readonly processed: number;
  /** Incident items written; a replayed delivery writes (overwrites) the same items and reports the same number. */
  readonly incidents_created: number;
}

/** The ports {@link processDelivery} works through. */
export interface ProcessDeliveryDependencies {
  /** Where incidents are written. */
  readonly store: IncidentStore;
  /** Days before an incident expires. */
  readonly ttlDays: number;
  /** Receives the one-line JSON summary of the delivery. */
  readonly log: (line: string) => void;
}

/**
 * Handles one CloudWatch Logs subscription event: decode, turn error events into incidents, write them.
 *
 * Anything that cannot be processed throws (a malformed event, a failed write): Lambda then retries the
 * asynchronous invocation and finally keeps the event in the dead-letter queue, instead of losing it.
 */
export async function processDelivery(event: unknown, dependencies: ProcessDeliveryDependencies): Promise<DeliverySummary> {
  const payload = decodeLogsEvent(event);
  const incidents = buildIncidents(payload, { ttlDays: dependencies.ttlDays });
  if (incidents.length > 0) await dependencies.store.putAll(incidents);

  const summary: DeliverySummary = {
    processed: payload.messageType === "DATA_MESSAGE" ? payload.logEvents.length : 0,
    incidents_created: incidents.length,
  };
  dependencies.log(
    JSON.stringify({
      summary: "log delivery processed",
      message_type: payload.messageType,
      ...(payload.messageType === "DATA_MESSAGE" ? { log_group: payload.logGroup, log_stream: payload.logStream } : {}),
      ...summary,
    }),
  );
  return summary;
}
