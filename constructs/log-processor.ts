import { Construct } from "constructs";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { EXCLUDED_PREFIXES_VARIABLE } from "../handlers/log-processor/account-scope";
import { LOG_PROCESSOR_AWS_CALLS } from "../handlers/log-processor/aws-calls";
import { BundledFunction } from "./bundled-function";
import { FlatConstruct } from "./flat-construct";
import { GrantTarget, grantsForCalls } from "./handler-grants";
import { IncidentTableRefs } from "./incident-tables";
import { FunctionDestination } from "./log-group-subscription";
import { ENCRYPTED_MESSAGE_KEY_ACTIONS, KINESIS_CONSUMER_KEY_ACTIONS, keyUseThroughService } from "./key-grants";
import { PolicyStatementSpec } from "./policy-statement";

/**
 * Kinesis event source mapping settings (Lambda Developer Guide, "Using AWS Lambda with Amazon Kinesis" and
 * CreateEventSourceMapping): a bounded retry count (the default, -1, retries until the record expires and blocks the
 * shard for up to a day), no age limit of the mapping's own (-1: a record is kept as long as the stream keeps it, 24
 * hours, as the alarms say; the model allows -1 to 604,800, botocore lambda/2015-03-31 MaximumRecordAgeInSeconds), and
 * bisecting a failed batch so that a poison record ends up alone.
 */
const KINESIS_MAXIMUM_RETRY_ATTEMPTS = 3;
const KINESIS_MAXIMUM_RECORD_AGE_SECONDS = -1;
/** Iterator age at which the processor counts as falling behind: 5 minutes, above the normal delivery delay. */
export const KINESIS_ITERATOR_AGE_ALARM_MS = 5 * 60 * 1000;

/** The Kinesis stream the processor reads (`LOG_MONITOR_TRANSPORT=kinesis`). */
export interface KinesisSource {
  /** The stream's ARN. */
  readonly streamArn: string;
  /** Records per invocation (`LOG_MONITOR_KINESIS_BATCH_SIZE`). */
  readonly batchSize: number;
  /** Seconds to gather records before invoking (`LOG_MONITOR_KINESIS_BATCHING_WINDOW_SECONDS`). */
  readonly batchingWindowSeconds: number;
}

/** How the processor handles what it records: its environment, as handlers/log-processor/config.ts reads it. */
export interface LogProcessorSettings {
  /** Days an incident is kept (`LOG_MONITOR_INCIDENT_TTL_DAYS`). */
  readonly incidentTtlDays: number;
  /** Publish real-time alerts (`LOG_MONITOR_REALTIME_ALERTS`). */
  readonly realtimeAlerts: boolean;
  /** Minutes one failure's alerts are suppressed after the first (`LOG_MONITOR_SUPPRESSION_MINUTES`). */
  readonly suppressionMinutes: number;
  /** Most alerts one delivery publishes (`LOG_MONITOR_MAX_ALERTS_PER_DELIVERY`). */
  readonly maxAlertsPerDelivery: number;
  /** Namespace of the delivery metrics (embedded metric format). */
  readonly metricNamespace: string;
  /** The environment's name, the metrics' `Environment` dimension. */
  readonly environmentName: string;
  /** Log group name prefixes whose events are dropped (account-wide subscriptions cannot exclude prefixes). */
  readonly excludedLogGroupPrefixes: readonly string[];
}

/** Props of {@link LogProcessor}. */
export interface LogProcessorProps {
  /** The function's name, e.g. `log-monitor-prod-log-processor`. */
  readonly functionName: string;
  /** Its execution role's name (global: carries the region). */
  readonly roleName: string;
  /** What the handler does with what it records. */
  readonly settings: LogProcessorSettings;
  /** The incidents and alert-suppression tables the handler writes. */
  readonly tables: IncidentTableRefs;
  /** ARN of the alert topic real-time alerts are published to. */
  readonly alertTopicArn: string;
  /** ARN of the critical topic FATAL/CRITICAL alerts are published to as well. @default none */
  readonly criticalTopicArn?: string;
  /** ARN of the environment's key (tables, topics, queue, stream and the function's log group). */
  readonly kmsKeyArn: string;
  /** The stack's region. */
  readonly region: string;
  /** ARN of the dead-letter queue for failed deliveries (and, with a stream, failed batches' descriptions). */
  readonly deadLetterQueueArn: string;
  /** Retention of the function's log group, in days. */
  readonly logRetentionDays: number;
  /** Concurrent executions reserved for the function (`LOG_MONITOR_RESERVED_CONCURRENCY`). @default none */
  readonly reservedConcurrency?: number;
  /** ARN of a permissions boundary for the execution role. @default none */
  readonly permissionsBoundaryArn?: string;
  /** The stream to read with an event source mapping. @default none: CloudWatch Logs invokes the function */
  readonly kinesisSource?: KinesisSource;
}

/**
 * The log-processor function (`log-processor`): decodes subscription deliveries and records each error event as an
 * incident. Its role is granted what its handler declares it calls (handlers/log-processor/aws-calls.ts), each with
 * the key through the service that uses it; failed asynchronous deliveries are retried twice, then parked in the
 * dead-letter queue; with a stream, an event source mapping reads it. Created in the parent's scope (see
 * {@link FlatConstruct}).
 */
export class LogProcessor extends FlatConstruct {
  /** The function's name. */
  readonly functionName: string;
  /** The function's ARN. */
  readonly functionArn: string;
  /** The function's timeout, in seconds. */
  readonly timeoutSeconds: number;

  constructor(scope: Construct, id: string, props: LogProcessorProps) {
    super(scope, id);
    const { settings, kinesisSource } = props;
    const environment: Record<string, string> = {
      INCIDENTS_TABLE_NAME: props.tables.incidentsTableName,
      INCIDENT_TTL_DAYS: String(settings.incidentTtlDays),
      REALTIME_ALERTS: String(settings.realtimeAlerts),
      ALERT_TOPIC_ARN: props.alertTopicArn,
      ...(props.criticalTopicArn === undefined ? {} : { CRITICAL_TOPIC_ARN: props.criticalTopicArn }),
      SUPPRESSION_TABLE_NAME: props.tables.suppressionTableName,
      SUPPRESSION_MINUTES: String(settings.suppressionMinutes),
      MAX_ALERTS_PER_DELIVERY: String(settings.maxAlertsPerDelivery),
      // Delivery metrics (embedded metric format) in the environment's namespace, dimension Environment.
      METRICS_NAMESPACE: settings.metricNamespace,
      ENVIRONMENT_NAME: settings.environmentName,
      ...(settings.excludedLogGroupPrefixes.length > 0
        ? { [EXCLUDED_PREFIXES_VARIABLE]: JSON.stringify([...settings.excludedLogGroupPrefixes].sort()) }
        : {}),
    };

    const processor = new BundledFunction(this.resourceScope, "log-processor", {
      handlerName: "log-processor",
      functionName: props.functionName,
      roleName: props.roleName,
      description: "Decodes CloudWatch Logs subscription deliveries and records each error event as an incident in DynamoDB",
      // Measured by `npm run bench` on a maximum-size delivery (1 MB decoded, 2,121 errors): peak memory
      // 86 MB (34% of 256 MB); about 0.6 s of CPU, some 4 s at 256 MB's share of a vCPU, plus the writes:
      // under a tenth of the 60 s timeout, which leaves room for BatchWriteItem retries with backoff.
      memorySizeMb: 256,
      timeoutSeconds: 60,
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrency: props.reservedConcurrency }),
      ...(props.permissionsBoundaryArn === undefined ? {} : { permissionsBoundaryArn: props.permissionsBoundaryArn }),
      environment,
      logRetentionDays: props.logRetentionDays,
      logsKmsKeyArn: props.kmsKeyArn,
      deadLetterQueueArn: props.deadLetterQueueArn,
      policyStatements: [
        // What the handler's code calls, from its declaration (handlers/log-processor/aws-calls.ts).
        ...handlerGrants(props, environment),
        // Lambda itself parks failed events in the queue with the function's role.
        { sid: "ParkFailedEvents", actions: ["sqs:SendMessage"], resources: [props.deadLetterQueueArn] },
        // Sending to the encrypted queue needs a data key; only through SQS, not for anything else.
        keyUseThroughService({
          sid: "EncryptParkedEvents",
          keyArn: props.kmsKeyArn,
          service: "sqs",
          region: props.region,
          actions: ENCRYPTED_MESSAGE_KEY_ACTIONS,
        }),
        ...(kinesisSource === undefined ? [] : streamReadGrants(kinesisSource.streamArn, props)),
      ],
    });

    if (kinesisSource !== undefined) {
      new LambdaEventSourceMapping(this.resourceScope, "log-stream-event-source", {
        functionName: processor.functionName,
        eventSourceArn: kinesisSource.streamArn,
        // From the oldest record kept: what CloudWatch Logs put into the stream before the mapping existed
        // (between the two resources' creation) is processed, not skipped.
        startingPosition: "TRIM_HORIZON",
        batchSize: kinesisSource.batchSize,
        maximumBatchingWindowInSeconds: kinesisSource.batchingWindowSeconds,
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: KINESIS_MAXIMUM_RETRY_ATTEMPTS,
        maximumRecordAgeInSeconds: KINESIS_MAXIMUM_RECORD_AGE_SECONDS,
        functionResponseTypes: ["ReportBatchItemFailures"],
        // For a stream the on-failure destination receives a description of the failed batch (shard, sequence
        // numbers), not the records: `npm run redrive` cannot replay it; the records stay in the stream for 24 h.
        destinationConfig: { onFailure: { destinationArn: props.deadLetterQueueArn } },
      });
    }

    new LambdaFunctionEventInvokeConfig(this.resourceScope, "log-processor-retries", {
      functionName: processor.functionName,
      // Lambda retries a failed delivery twice (about 1 and 2 minutes later); after that, or after an hour,
      // the event is parked in the dead-letter queue for `npm run redrive`.
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 3600,
    });

    this.functionName = processor.functionName;
    this.functionArn = processor.functionArn;
    this.timeoutSeconds = processor.timeoutSeconds;
  }

  /** The function as a subscription destination, for log groups of `accountId` (the invoke permissions' source account). */
  invokedByLogsOf(accountId: string): FunctionDestination {
    return { kind: "function", functionName: this.functionName, functionArn: this.functionArn, accountId };
  }
}

/**
 * The grants from the handler's declaration of its calls. Both tables and the topics are encrypted with the
 * environment's key, and DynamoDB and SNS use it on the processor's behalf: each grant on them brings the key grant
 * through that service (without it, every write is refused with a KMS access error).
 */
function handlerGrants(props: LogProcessorProps, environment: Readonly<Record<string, string>>): PolicyStatementSpec[] {
  const tableKey = { keyArn: props.kmsKeyArn, service: "dynamodb", sid: "UseKeyForEncryptedTables" } as const;
  const publish = (arn: string): GrantTarget => ({
    sid: "PublishRealtimeAlerts",
    arn,
    encryption: { keyArn: props.kmsKeyArn, service: "sns", sid: "EncryptRealtimeAlerts" },
  });
  return grantsForCalls(
    LOG_PROCESSOR_AWS_CALLS,
    environment,
    {
      INCIDENTS_TABLE_NAME: { sid: "WriteIncidents", arn: props.tables.incidentsTableArn, encryption: tableKey },
      // Take, count and release suppression windows (conditional writes), so that one failure alerts once.
      SUPPRESSION_TABLE_NAME: { sid: "TrackAlertSuppression", arn: props.tables.suppressionTableArn, encryption: tableKey },
      ALERT_TOPIC_ARN: publish(props.alertTopicArn),
      // Pages (FATAL/CRITICAL) go to the critical topic too: same statement, same key.
      ...(props.criticalTopicArn === undefined ? {} : { CRITICAL_TOPIC_ARN: publish(props.criticalTopicArn) }),
    },
    props.region,
  );
}

/**
 * The event source mapping reads the stream with the function's execution role (Lambda Developer Guide, "Using AWS
 * Lambda with Amazon Kinesis", execution role permissions); the stream is encrypted with the customer-managed key, so
 * reading needs kms:Decrypt, only via Kinesis.
 */
function streamReadGrants(streamArn: string, props: Pick<LogProcessorProps, "kmsKeyArn" | "region">): PolicyStatementSpec[] {
  return [
    {
      sid: "ReadLogStream",
      actions: [
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:ListShards",
      ],
      resources: [streamArn],
    },
    keyUseThroughService({
      sid: "DecryptLogStream",
      keyArn: props.kmsKeyArn,
      service: "kinesis",
      region: props.region,
      actions: KINESIS_CONSUMER_KEY_ACTIONS,
    }),
  ];
}
