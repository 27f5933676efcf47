import { Construct } from "constructs";
import { CloudwatchLogAccountPolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-account-policy";
import { CloudwatchLogSubscriptionFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import type { TerraformResource } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsCloudwatchLogGroup } from "@cdktf/provider-aws/lib/data-aws-cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { BundledFunction } from "../constructs/bundled-function";
import { grantsForCalls } from "../constructs/handler-grants";
import { ENCRYPTED_MESSAGE_KEY_ACTIONS, KINESIS_CONSUMER_KEY_ACTIONS, keyUseThroughService } from "../constructs/key-grants";
import { LogDestination } from "../constructs/log-destination";
import { LogStream } from "../constructs/log-stream";
import { LOG_PROCESSOR_AWS_CALLS } from "../handlers/log-processor/aws-calls";
import { PipelineAlarms } from "../constructs/pipeline-alarms";
import { QuietNoticeSweeper } from "../constructs/quiet-notice-sweeper";
import { LOG_PROCESSOR_SUBSCRIPTION_PATTERN } from "../config/filter-patterns";
import {
  ACCOUNT_WIDE_STATEMENT_ID,
  globalResourceName,
  logsInvokeStatementId,
  LOGS_DELIVERY_ROLE_SUFFIX,
  LOGS_RECEIVER_ROLE_SUFFIX,
  logGroupId,
  PROJECT_NAME,
  projectLogGroupNames,
  resourceName,
} from "../config/naming";
import { destinationNameOf } from "../config/cross-account";
import { selectionCriteria } from "../config/scale";
import { EXCLUDED_PREFIXES_VARIABLE } from "../handlers/log-processor/account-scope";
import {
  INCIDENT_INDEXES,
  INCIDENT_PARTITION_KEY,
  INCIDENT_TTL_ATTRIBUTE,
} from "../handlers/log-processor/incident-schema";
import { SUPPRESSION_PARTITION_KEY, SUPPRESSION_TTL_ATTRIBUTE } from "../handlers/log-processor/suppression-schema";
import { LogMonitorStack, LogMonitorStackProps } from "./log-monitor-stack";

/** Props of {@link ProcessingStack}. */
export interface ProcessingStackProps extends LogMonitorStackProps {
  /** Name of the log group whose error events are streamed to the processor. */
  readonly logGroupName: string;
  /** ARN of that log group, without the `:*` suffix. */
  readonly logGroupArn: string;
  /** ARN of the environment's KMS key (queue, tables and the processor's log group are encrypted with it). */
  readonly kmsKeyArn: string;
  /** ARN of the alert topic the processor publishes real-time alerts to. */
  readonly alertTopicArn: string;
  /**
   * ARN of the critical topic: the processor publishes FATAL/CRITICAL alerts there too, and the pipeline alarms
   * notify it. @default none (pages go to the alert topic only)
   */
  readonly criticalTopicArn?: string;
}

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
const KINESIS_ITERATOR_AGE_ALARM_MS = 5 * 60 * 1000;

/** Seconds in 14 days: the longest SQS keeps a message, so an operator has two weeks to redrive. */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/**
 * Stack `processing`: a subscription filter streams error candidates from the monitored log group to the
 * log-processor Lambda, which records each error as an incident in DynamoDB. Invocations that fail every
 * retry are kept in an encrypted dead-letter queue.
 */
export class ProcessingStack extends LogMonitorStack {
  /** Name of the log-processor function. */
  readonly processorFunctionName: string;
  /** Name of the processor's dead-letter queue. */
  readonly deadLetterQueueName: string;
  /** Name of the incidents table. */
  readonly incidentsTableName: string;
  /** ARNs of the alarms on the pipeline itself. */
  readonly pipelineAlarmArns: string[];
  /** Name of the alert-suppression table. */
  readonly suppressionTableName: string;

  constructor(scope: Construct, id: string, props: ProcessingStackProps) {
    super(scope, id, props);
    const { config } = props;
    const caller = new DataAwsCallerIdentity(this, "current-account");
    const functionName = resourceName(config, "log-processor");
    const { scale } = config;
    const kinesis = scale.transport === "kinesis";
    const partition = kinesis || scale.accountWide ? new DataAwsPartition(this, "current-partition") : undefined;

    const table = new DynamodbTable(this, "incidents-table", {
      name: resourceName(config, "incidents"),
      billingMode: "PAY_PER_REQUEST",
      hashKey: INCIDENT_PARTITION_KEY,
      attribute: [
        INCIDENT_PARTITION_KEY,
        ...new Set(INCIDENT_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey])),
      ].map((name) => ({ name, type: "S" })),
      globalSecondaryIndex: INCIDENT_INDEXES.map((index) => ({
        name: index.name,
        hashKey: index.partitionKey,
        rangeKey: index.sortKey,
        projectionType: "ALL",
      })),
      ttl: { attributeName: INCIDENT_TTL_ATTRIBUTE, enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      deletionProtectionEnabled: config.deletionProtection,
    });

    const suppressionTable = new DynamodbTable(this, "alert-suppression-table", {
      name: resourceName(config, "alert-suppression"),
      billingMode: "PAY_PER_REQUEST",
      hashKey: SUPPRESSION_PARTITION_KEY,
      attribute: [{ name: SUPPRESSION_PARTITION_KEY, type: "S" }],
      ttl: { attributeName: SUPPRESSION_TTL_ATTRIBUTE, enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      deletionProtectionEnabled: config.deletionProtection,
    });

    const deadLetterQueue = new SqsQueue(this, "dead-letter-queue", {
      name: resourceName(config, "log-processor-dlq"),
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
      kmsMasterKeyId: props.kmsKeyArn,
      // Reusing a data key for 5 minutes keeps KMS calls (and cost) low during a burst of failures.
      kmsDataKeyReusePeriodSeconds: 300,
    });
    const queuePolicy = new DataAwsIamPolicyDocument(this, "dead-letter-queue-policy-document", {
      statement: [
        {
          sid: "DenyAccessWithoutTls",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
          resources: [deadLetterQueue.arn],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new SqsQueuePolicy(this, "dead-letter-queue-policy", { queueUrl: deadLetterQueue.url, policy: queuePolicy.json });

    // The Kinesis transport's stream and CloudWatch Logs' role to put records into it (before the processor, whose
    // role reads the stream).
    const logStream = kinesis
      ? new LogStream(this, "log-stream", {
          streamName: resourceName(config, "logs"),
          deliveryRoleName: globalResourceName(config, LOGS_DELIVERY_ROLE_SUFFIX),
          kmsKeyArn: props.kmsKeyArn,
          region: config.region,
          accountId: caller.accountId,
          partition: partition?.partition ?? "aws",
          ...(config.permissionsBoundaryArn ? { permissionsBoundaryArn: config.permissionsBoundaryArn } : {}),
        })
      : undefined;

    // Cross-account: the destination the source accounts subscribe to, in front of the same stream (configuration
    // refuses cross-account without the Kinesis transport).
    if (config.crossAccount !== undefined && logStream !== undefined) {
      new LogDestination(this, "log-destination", {
        destinationName: destinationNameOf(config.environment),
        roleName: globalResourceName(config, LOGS_RECEIVER_ROLE_SUFFIX),
        streamArn: logStream.streamArn,
        kmsKeyArn: props.kmsKeyArn,
        region: config.region,
        centralAccountId: config.crossAccount.centralAccountId,
        sources: config.crossAccount.sources,
        ...(config.permissionsBoundaryArn ? { permissionsBoundaryArn: config.permissionsBoundaryArn } : {}),
      });
    }

    const processorEnvironment: Record<string, string> = {
      INCIDENTS_TABLE_NAME: table.name,
      INCIDENT_TTL_DAYS: String(config.incidentTtlDays),
      REALTIME_ALERTS: String(config.realtimeAlerts),
      ALERT_TOPIC_ARN: props.alertTopicArn,
      ...(props.criticalTopicArn === undefined ? {} : { CRITICAL_TOPIC_ARN: props.criticalTopicArn }),
      SUPPRESSION_TABLE_NAME: suppressionTable.name,
      SUPPRESSION_MINUTES: String(config.suppressionMinutes),
      MAX_ALERTS_PER_DELIVERY: String(config.maxAlertsPerDelivery),
      // Delivery metrics (embedded metric format) in the environment's namespace, dimension Environment.
      METRICS_NAMESPACE: config.metricNamespace,
      ENVIRONMENT_NAME: config.environment,
      ...(scale.excludeLogGroups.prefixes.length > 0
        ? { [EXCLUDED_PREFIXES_VARIABLE]: JSON.stringify([...scale.excludeLogGroups.prefixes].sort()) }
        : {}),
    };
    // Both tables and the topic are encrypted with the environment's key, and DynamoDB and SNS use it on the
    // processor's behalf: each grant on them brings the key grant through that service (without it, every write
    // is refused with a KMS access error).
    const tableKey = { keyArn: props.kmsKeyArn, service: "dynamodb", sid: "UseKeyForEncryptedTables" } as const;
    const handlerGrants = grantsForCalls(
      LOG_PROCESSOR_AWS_CALLS,
      processorEnvironment,
      {
        INCIDENTS_TABLE_NAME: { sid: "WriteIncidents", arn: table.arn, encryption: tableKey },
        // Take, count and release suppression windows (conditional writes), so that one failure alerts once.
        SUPPRESSION_TABLE_NAME: { sid: "TrackAlertSuppression", arn: suppressionTable.arn, encryption: tableKey },
        ALERT_TOPIC_ARN: {
          sid: "PublishRealtimeAlerts",
          arn: props.alertTopicArn,
          encryption: { keyArn: props.kmsKeyArn, service: "sns", sid: "EncryptRealtimeAlerts" },
        },
        // Pages (FATAL/CRITICAL) go to the critical topic too: same statement, same key.
        ...(props.criticalTopicArn === undefined
          ? {}
          : {
              CRITICAL_TOPIC_ARN: {
                sid: "PublishRealtimeAlerts",
                arn: props.criticalTopicArn,
                encryption: { keyArn: props.kmsKeyArn, service: "sns", sid: "EncryptRealtimeAlerts" },
              },
            }),
      },
      config.region,
    );

    const processor = new BundledFunction(this, "log-processor", {
      handlerName: "log-processor",
      functionName,
      roleName: globalResourceName(config, "log-processor"),
      description: "Decodes CloudWatch Logs subscription deliveries and records each error event as an incident in DynamoDB",
      // Measured by `npm run bench` on a maximum-size delivery (1 MB decoded, 2,121 errors): peak memory
      // 86 MB (34% of 256 MB); about 0.6 s of CPU, some 4 s at 256 MB's share of a vCPU, plus the writes:
      // under a tenth of the 60 s timeout, which leaves room for BatchWriteItem retries with backoff.
      memorySizeMb: 256,
      timeoutSeconds: 60,
      ...(config.processorReservedConcurrency === undefined ? {} : { reservedConcurrency: config.processorReservedConcurrency }),
      ...(config.permissionsBoundaryArn ? { permissionsBoundaryArn: config.permissionsBoundaryArn } : {}),
      environment: processorEnvironment,
      logRetentionDays: config.logRetentionDays,
      logsKmsKeyArn: props.kmsKeyArn,
      deadLetterQueueArn: deadLetterQueue.arn,
      policyStatements: [
        // What the handler's code calls, from its declaration (handlers/log-processor/aws-calls.ts).
        ...handlerGrants,
        // Lambda itself parks failed events in the queue with the function's role.
        {
          sid: "ParkFailedEvents",
          actions: ["sqs:SendMessage"],
          resources: [deadLetterQueue.arn],
        },
        // Sending to the encrypted queue needs a data key; only through SQS, not for anything else.
        keyUseThroughService({
          sid: "EncryptParkedEvents",
          keyArn: props.kmsKeyArn,
          service: "sqs",
          region: config.region,
          actions: ENCRYPTED_MESSAGE_KEY_ACTIONS,
        }),
        ...(logStream === undefined
          ? []
          : [
              {
                // The event source mapping reads the stream with the function's execution role (Lambda Developer
                // Guide, "Using AWS Lambda with Amazon Kinesis", execution role permissions).
                sid: "ReadLogStream",
                actions: [
                  "kinesis:DescribeStream",
                  "kinesis:DescribeStreamSummary",
                  "kinesis:GetRecords",
                  "kinesis:GetShardIterator",
                  "kinesis:ListShards",
                ],
                resources: [logStream.streamArn],
              },
              // The stream is encrypted with the customer-managed key: reading needs kms:Decrypt, only via Kinesis.
              keyUseThroughService({
                sid: "DecryptLogStream",
                keyArn: props.kmsKeyArn,
                service: "kinesis",
                region: config.region,
                actions: KINESIS_CONSUMER_KEY_ACTIONS,
              }),
            ]),
      ],
    });

    if (logStream !== undefined) {
      new LambdaEventSourceMapping(this, "log-stream-event-source", {
        functionName: processor.functionName,
        eventSourceArn: logStream.streamArn,
        // From the oldest record kept: what CloudWatch Logs put into the stream before the mapping existed
        // (between the two resources' creation) is processed, not skipped.
        startingPosition: "TRIM_HORIZON",
        batchSize: scale.kinesis.batchSize,
        maximumBatchingWindowInSeconds: scale.kinesis.batchingWindowSeconds,
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: KINESIS_MAXIMUM_RETRY_ATTEMPTS,
        maximumRecordAgeInSeconds: KINESIS_MAXIMUM_RECORD_AGE_SECONDS,
        functionResponseTypes: ["ReportBatchItemFailures"],
        // For a stream the on-failure destination receives a description of the failed batch (shard, sequence
        // numbers), not the records: `npm run redrive` cannot replay it; the records stay in the stream for 24 h.
        destinationConfig: { onFailure: { destinationArn: deadLetterQueue.arn } },
      });
    }

    new LambdaFunctionEventInvokeConfig(this, "log-processor-retries", {
      functionName: processor.functionName,
      // Lambda retries a failed delivery twice (about 1 and 2 minutes later); after that, or after an hour,
      // the event is parked in the dead-letter queue for `npm run redrive`.
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 3600,
    });

    // The test emitter's group (from the alerting stack) and each of the user's groups: an invoke permission
    // scoped to that group, then the subscription filter, which CloudWatch Logs checks against it at creation.
    // With the Kinesis transport the filters put records into the stream through the delivery role instead, and
    // CloudWatch Logs needs no invoke permission.
    const subscribe = (id: string, logGroupName: string, logGroupArn: string, filterPattern: string, userGroupName?: string) => {
      if (logStream !== undefined) {
        new CloudwatchLogSubscriptionFilter(this, `${id}log-processor-subscription`, {
          name: functionName,
          logGroupName,
          filterPattern,
          destinationArn: logStream.streamArn,
          roleArn: logStream.deliveryRoleArn,
          // Spread over shards: one busy log stream must not be bound to one shard's write limit.
          distribution: "Random",
          dependsOn: [logStream.deliveryRolePolicy],
        });
        return;
      }
      const permission = new LambdaPermission(this, `${id}logs-invoke-permission`, {
        // Unique per function, within AddPermission's 100 characters (a hash ends a shortened id).
        statementId: logsInvokeStatementId(userGroupName),
        action: "lambda:InvokeFunction",
        functionName: processor.functionName,
        principal: "logs.amazonaws.com",
        // Only deliveries from this log group, in this account, may invoke the function.
        sourceArn: `${logGroupArn}:*`,
        sourceAccount: caller.accountId,
      });
      new CloudwatchLogSubscriptionFilter(this, `${id}log-processor-subscription`, {
        name: functionName,
        logGroupName,
        filterPattern,
        destinationArn: processor.functionArn,
        // Without the permission first, creation fails with "Could not execute the lambda function".
        dependsOn: [permission],
      });
    };
    subscribe("", props.logGroupName, props.logGroupArn, LOG_PROCESSOR_SUBSCRIPTION_PATTERN);
    for (const group of config.logGroups) {
      const id = logGroupId(group.name);
      // Reading the group also checks, at plan time, that it exists.
      const existing = new DataAwsCloudwatchLogGroup(this, `${id}-log-group`, { name: group.name });
      subscribe(`${id}-`, group.name, existing.arn, group.subscriptionPattern ?? LOG_PROCESSOR_SUBSCRIPTION_PATTERN, group.name);
    }

    if (scale.accountWide) {
      // The account-level subscription filter policy: every log group of the account and region, except the
      // project's own (the processor's group would feed its own summary lines back: a loop), the groups of
      // LOG_MONITOR_LOG_GROUPS (they keep their own filters and patterns; a second delivery would double the cost)
      // and the user's exclusions. Exclusion prefixes cannot be expressed (the criteria accept exact names only):
      // the processor drops those groups' events (EXCLUDED_LOG_GROUP_PREFIXES).
      // Source: CloudWatch Logs API reference, PutAccountPolicy; User Guide, "Account-level subscription filters".
      const policyName = resourceName(config, "errors");
      const criteria = selectionCriteria([
        ...projectLogGroupNames(config),
        ...config.logGroups.map((group) => group.name),
        ...scale.excludeLogGroups.names,
      ]);
      let dependsOn: TerraformResource[];
      let policyDocument: Record<string, string>;
      if (logStream !== undefined) {
        dependsOn = [logStream.deliveryRolePolicy];
        policyDocument = {
          DestinationArn: logStream.streamArn,
          RoleArn: logStream.deliveryRoleArn,
          FilterPattern: LOG_PROCESSOR_SUBSCRIPTION_PATTERN,
          Distribution: "Random",
        };
      } else {
        dependsOn = [
          new LambdaPermission(this, "account-logs-invoke-permission", {
            statementId: ACCOUNT_WIDE_STATEMENT_ID,
            action: "lambda:InvokeFunction",
            functionName: processor.functionName,
            principal: "logs.amazonaws.com",
            // Any log group of this account in this region (the account policy's reach), nothing else.
            sourceArn: `arn:${partition?.partition ?? "aws"}:logs:${config.region}:${caller.accountId}:log-group:*`,
            sourceAccount: caller.accountId,
          }),
        ];
        policyDocument = { DestinationArn: processor.functionArn, FilterPattern: LOG_PROCESSOR_SUBSCRIPTION_PATTERN };
      }
      new CloudwatchLogAccountPolicy(this, "account-subscription-policy", {
        policyName,
        policyType: "SUBSCRIPTION_FILTER_POLICY",
        scope: "ALL",
        selectionCriteria: criteria,
        policyDocument: JSON.stringify(policyDocument),
        dependsOn,
      });
    }

    const alarms = new PipelineAlarms(this, "pipeline-alarms", {
      namePrefix: `${PROJECT_NAME}-${config.environment}`,
      functionName,
      timeoutSeconds: processor.timeoutSeconds,
      deadLetterQueueName: resourceName(config, "log-processor-dlq"),
      alarmTopicArn: props.alertTopicArn,
      ...(props.criticalTopicArn === undefined ? {} : { criticalTopicArn: props.criticalTopicArn }),
      ...(kinesis ? { iteratorAgeThresholdMs: KINESIS_ITERATOR_AGE_ALARM_MS, streamName: resourceName(config, "logs") } : {}),
    });

    // Quiet-again notices (LOG_MONITOR_QUIET_NOTICES): a scheduled sweep of the suppression table's episodes.
    if (config.quietNotices) {
      new QuietNoticeSweeper(this, "quiet-notice-sweeper", {
        functionName: resourceName(config, "quiet-notices"),
        roleName: globalResourceName(config, "quiet-notices"),
        schedulerRoleName: globalResourceName(config, "quiet-invoker"),
        scheduleName: resourceName(config, "quiet-notices"),
        accountId: caller.accountId,
        region: config.region,
        suppressionTableName: suppressionTable.name,
        suppressionTableArn: suppressionTable.arn,
        incidentsTableName: table.name,
        incidentsTableArn: table.arn,
        alertTopicArn: props.alertTopicArn,
        suppressionMinutes: config.suppressionMinutes,
        kmsKeyArn: props.kmsKeyArn,
        logRetentionDays: config.logRetentionDays,
        ...(config.permissionsBoundaryArn ? { permissionsBoundaryArn: config.permissionsBoundaryArn } : {}),
      });
    }

    this.processorFunctionName = processor.functionName;
    this.pipelineAlarmArns = alarms.alarmArns;
    this.deadLetterQueueName = deadLetterQueue.name;
    this.incidentsTableName = table.name;
    this.suppressionTableName = suppressionTable.name;
  }
}
