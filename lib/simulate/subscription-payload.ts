/**
 * CloudWatch Logs subscription deliveries to a Lambda function, as CloudWatch Logs builds them: the JSON payload
 * (`messageType`, `owner`, `logGroup`, `logStream`, `subscriptionFilters`, `logEvents[{id, timestamp, message}]`),
 * gzipped, base64-encoded, in `{"awslogs":{"data": ...}}` (CloudWatch Logs User Guide, SubscriptionFilters.md).
 */
import { gzipSync } from "node:zlib";
import type { LogsDataMessage } from "../../handlers/log-processor/logs-payload";
import type { LogEvent } from "./metric-filters";

/**
 * A DATA_MESSAGE: the events of one log stream that a subscription filter matched. The same type the processor
 * decodes, so the simulator can only build what the processor reads.
 */
export type DataMessage = LogsDataMessage;

/** The CONTROL_MESSAGE CloudWatch Logs sends when a subscription is created, to check the destination is reachable. */
export interface ControlMessage {
  readonly messageType: "CONTROL_MESSAGE";
  readonly owner: "CloudwatchLogs";
  readonly logGroup: "";
  readonly logStream: "";
  readonly subscriptionFilters: readonly [];
  readonly logEvents: readonly LogEvent[];
}

/** The event Lambda receives from a subscription. */
export interface SubscriptionEvent {
  readonly awslogs: { readonly data: string };
}

/** Builds the DATA_MESSAGE for the events a filter matched in one stream. */
export function dataMessage(delivery: Omit<DataMessage, "messageType">): DataMessage {
  return { messageType: "DATA_MESSAGE", ...delivery };
}

/** The CONTROL_MESSAGE, stamped at `timestampMs`. */
export function controlMessage(timestampMs: number): ControlMessage {
  return {
    messageType: "CONTROL_MESSAGE",
    owner: "CloudwatchLogs",
    logGroup: "",
    logStream: "",
    subscriptionFilters: [],
    logEvents: [{ id: "", timestamp: timestampMs, message: "CWL CONTROL MESSAGE: Checking health of destination Lambda function." }],
  };
}

/** Packs a payload as CloudWatch Logs delivers it: JSON, gzip, base64. */
export function packSubscriptionEvent(payload: DataMessage | ControlMessage): SubscriptionEvent {
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload), "utf8")).toString("base64") } };
}

/**
 * A CloudWatch Logs event id: 56 decimal digits in real deliveries. Built from the timestamp and a sequence
 * number, so ids are unique within a simulation and sort in the order events were written.
 */
export function cloudWatchEventId(timestampMs: number, sequence: number): string {
  if (!Number.isSafeInteger(timestampMs) || timestampMs < 0 || !Number.isSafeInteger(sequence) || sequence < 0) {
    throw new RangeError(`event ids need a non-negative integer timestamp and sequence, got ${timestampMs} and ${sequence}`);
  }
  return `${String(timestampMs).padStart(20, "0")}${String(sequence).padStart(36, "0")}`;
}
