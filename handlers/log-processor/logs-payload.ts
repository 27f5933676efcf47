/**
 * The decoded content of a CloudWatch Logs subscription delivery (the JSON inside `awslogs.data`).
 * (awsdocs/amazon-cloudwatch-logs-user-guide: SubscriptionFilters.md, "Examples")
 */
export type LogsPayload = LogsDataMessage | LogsControlMessage;

/** One log event of a delivery. */
export interface LogEvent {
  /** Unique id CloudWatch Logs gives the event; with log group and stream it identifies the incident. */
  readonly id: string;
  /** When the event happened, in milliseconds since the epoch. */
  readonly timestamp: number;
  /** The log line as the function wrote it. */
  readonly message: string;
}

/** A delivery of log events from one log stream. */
export interface LogsDataMessage {
  /** A delivery of application log events. */
  readonly messageType: "DATA_MESSAGE";
  /** The AWS account id that owns the log group. */
  readonly owner: string;
  /** The log group the events come from (`/aws/lambda/<function>` for a Lambda function). */
  readonly logGroup: string;
  /** The log stream within the group (one per Lambda execution environment). */
  readonly logStream: string;
  /** Names of the subscription filters that matched. */
  readonly subscriptionFilters: readonly string[];
  /** The events, in the order CloudWatch Logs delivered them. */
  readonly logEvents: readonly LogEvent[];
}

/**
 * The message CloudWatch Logs sends to check that the destination is reachable. It carries no application logs,
 * so nothing of it is kept beyond its type.
 */
export interface LogsControlMessage {
  /** A reachability check, not application logs. */
  readonly messageType: "CONTROL_MESSAGE";
}
