import { gzipSync } from "node:zlib";

/** A log event as CloudWatch Logs puts it in a delivery. */
export interface LogEventFixture {
  id: string;
  timestamp: number;
  message: string;
}

/** The JSON inside `awslogs.data`; loosely typed so that tests can also build malformed ones. */
export type LogsPayloadFixture = Record<string, unknown>;

/** The event Lambda receives from a CloudWatch Logs subscription. */
export interface CloudWatchLogsEventFixture {
  awslogs: { data: string };
}

/** Defaults of {@link dataMessage}: a Lambda function's log group and a stream named as Lambda names them. */
export const DEFAULT_LOG_GROUP = "/aws/lambda/orders-api";
export const DEFAULT_LOG_STREAM = "2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef";

/**
 * A DATA_MESSAGE payload, shaped like the example in the CloudWatch Logs user guide (SubscriptionFilters.md):
 * owner, log group, stream, the matching filter names and the events.
 */
export function dataMessage(logEvents: LogEventFixture[], overrides: LogsPayloadFixture = {}): LogsPayloadFixture {
  return {
    messageType: "DATA_MESSAGE",
    owner: "123456789012",
    logGroup: DEFAULT_LOG_GROUP,
    logStream: DEFAULT_LOG_STREAM,
    subscriptionFilters: ["log-monitor-errors"],
    logEvents,
    ...overrides,
  };
}

/** The CONTROL_MESSAGE CloudWatch Logs sends to check that a destination is reachable. */
export function controlMessage(): LogsPayloadFixture {
  return {
    messageType: "CONTROL_MESSAGE",
    owner: "CloudwatchLogs",
    logGroup: "",
    logStream: "",
    subscriptionFilters: [],
    logEvents: [
      {
        id: "",
        timestamp: 1714564800000,
        message: "CWL CONTROL MESSAGE: Checking health of destination Firehose.",
      },
    ],
  };
}

/** Encodes bytes as CloudWatch Logs does: gzip, then base64. */
export function encodeAwslogsData(json: string | Buffer): string {
  return gzipSync(typeof json === "string" ? Buffer.from(json, "utf8") : json).toString("base64");
}

/** The Lambda event for a payload: `{"awslogs":{"data": base64(gzip(JSON))}}`. */
export function logsEvent(payload: LogsPayloadFixture): CloudWatchLogsEventFixture {
  return { awslogs: { data: encodeAwslogsData(JSON.stringify(payload)) } };
}

/**
 * One log event per message, one second apart from `startMs`, with CloudWatch-style numeric string ids
 * (56 digits in real deliveries; here a fixed prefix plus the index, unique and ordered).
 */
export function logEvents(messages: readonly string[], startMs = 1714564800000): LogEventFixture[] {
  return messages.map((message, index) => ({
    id: eventId(index),
    timestamp: startMs + index * 1000,
    message,
  }));
}

/** A CloudWatch-style event id for position `index`. */
export function eventId(index: number): string {
  return `3800000000000000000000000000000000000000000000${String(index).padStart(10, "0")}`;
}
