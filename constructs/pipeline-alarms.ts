import { Construct } from "constructs";
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";

/** Props of {@link PipelineAlarms}. */
export interface PipelineAlarmsProps {
  /** Prefix of every alarm name, e.g. `log-monitor-prod`. */
  readonly namePrefix: string;
  /** Name of the log-processor function. */
  readonly functionName: string;
  /** The processor's timeout, in seconds; the duration alarm fires at 80% of it. */
  readonly timeoutSeconds: number;
  /** Name of the processor's dead-letter queue. */
  readonly deadLetterQueueName: string;
  /** Topic notified when an alarm fires and when it recovers. */
  readonly alarmTopicArn: string;
  /**
   * The critical topic, notified too when an alarm fires (a page, for subscribers marked `:critical`); a recovery is
   * not a page, so it goes to `alarmTopicArn` only. @default only `alarmTopicArn`
   */
  readonly criticalTopicArn?: string;
  /**
   * The pager topic, notified on alarm and on recovery: PagerDuty resolves the incident an alarm opened when the same
   * alarm's OK arrives. @default none
   */
  readonly pagerTopicArn?: string;
  /**
   * With the Kinesis transport: alarm when the event source mapping's iterator age (how far the processor lags
   * behind the newest record) stays above this many milliseconds for three minutes. @default no such alarm
   */
  readonly iteratorAgeThresholdMs?: number;
  /**
   * With the Kinesis transport: the stream the event source mapping reads. An alarm fires when nothing reads it for
   * five minutes (a mapping disabled, deleted, or refused by IAM or KMS): the iterator-age alarm cannot see that, as
   * Lambda publishes IteratorAge only for invocations. @default no such alarm
   */
  readonly streamName?: string;
}

/** Share of the timeout at which a slow invocation is worth a look, before it becomes a timeout. */
const DURATION_WARNING_SHARE = 0.8;

/**
 * Alarms on the pipeline itself, because a monitoring system that fails silently is worse than none:
 * processor errors, throttles, invocations close to the timeout, and any event parked in the dead-letter
 * queue. Each notifies the alert topic on alarm and on recovery.
 */
export class PipelineAlarms extends Construct {
  /** ARNs of the alarms, for the dashboard's alarm widget. */
  readonly alarmArns: string[];

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    const pager = props.pagerTopicArn === undefined ? [] : [props.pagerTopicArn];
    const topics = [props.alarmTopicArn, ...(props.criticalTopicArn === undefined ? [] : [props.criticalTopicArn]), ...pager];
    const actions = { alarmActions: topics, okActions: [props.alarmTopicArn, ...pager] };
    const lambda = { namespace: "AWS/Lambda", dimensions: { FunctionName: props.functionName } };
    const everyMinute = { period: 60, evaluationPeriods: 1, treatMissingData: "notBreaching" };
    const durationThresholdMs = Math.round(props.timeoutSeconds * 1000 * DURATION_WARNING_SHARE);

    // Readable, stable Terraform addresses (aws_cloudwatch_metric_alarm.processor-errors-alarm, ...).
    const alarm = (alarmId: string, config: CloudwatchMetricAlarmConfig) => {
      const created = new CloudwatchMetricAlarm(this, alarmId, config);
      created.overrideLogicalId(`${alarmId}-alarm`);
      return created;
    };

    const alarms = [
      alarm("processor-errors", {
        alarmName: `${props.namePrefix}-processor-errors`,
        alarmDescription: `The log processor ${props.functionName} failed on a delivery. Lambda retries it twice, then parks it in ${props.deadLetterQueueName}. Check the function's log group for the error; recover parked events with npm run redrive.`,
        ...lambda,
        metricName: "Errors",
        statistic: "Sum",
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        ...everyMinute,
        ...actions,
      }),
      alarm("processor-throttles", {
        alarmName: `${props.namePrefix}-processor-throttles`,
        alarmDescription: `The log processor ${props.functionName} was throttled: the account's concurrency (or the processor's reserved concurrency, if LOG_MONITOR_RESERVED_CONCURRENCY is set) is exhausted, so deliveries wait or age out into the dead-letter queue. Raise the account's Lambda concurrency quota, or the reservation, if this persists.`,
        ...lambda,
        metricName: "Throttles",
        statistic: "Sum",
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        ...everyMinute,
        ...actions,
      }),
      alarm("processor-duration", {
        alarmName: `${props.namePrefix}-processor-duration`,
        alarmDescription: `An invocation of the log processor ${props.functionName} took over ${durationThresholdMs} ms, ${DURATION_WARNING_SHARE * 100}% of its ${props.timeoutSeconds} s timeout: DynamoDB is throttling or deliveries are very large. Timeouts would follow.`,
        ...lambda,
        metricName: "Duration",
        statistic: "Maximum",
        threshold: durationThresholdMs,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        ...everyMinute,
        ...actions,
      }),
      alarm("dead-letter-queue-not-empty", {
        alarmName: `${props.namePrefix}-dead-letter-queue-not-empty`,
        alarmDescription: `Log deliveries that failed every retry are waiting in ${props.deadLetterQueueName}; their errors are not yet incidents. Fix the cause, then run npm run redrive.`,
        namespace: "AWS/SQS",
        dimensions: { QueueName: props.deadLetterQueueName },
        metricName: "ApproximateNumberOfMessagesVisible",
        statistic: "Maximum",
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        ...everyMinute,
        ...actions,
      }),
    ];
    if (props.iteratorAgeThresholdMs !== undefined) {
      alarms.push(
        alarm("processor-iterator-age", {
          alarmName: `${props.namePrefix}-processor-iterator-age`,
          alarmDescription: `The log processor ${props.functionName} is more than ${props.iteratorAgeThresholdMs / 1000} s behind the newest record of its Kinesis stream for 3 minutes: errors are reaching incidents and alerts late. The stream keeps records 24 hours; past that they are lost. Check the processor's errors, duration and throttles.`,
          ...lambda,
          metricName: "IteratorAge",
          statistic: "Maximum",
          threshold: props.iteratorAgeThresholdMs,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          period: 60,
          evaluationPeriods: 3,
          treatMissingData: "notBreaching",
          ...actions,
        }),
      );
    }
    if (props.streamName !== undefined) {
      alarms.push(
        alarm("processor-stream-not-read", {
          alarmName: `${props.namePrefix}-processor-stream-not-read`,
          alarmDescription: `Nothing read the Kinesis stream ${props.streamName} for 5 minutes: the log processor's event source mapping is disabled, deleted, or refused by IAM or KMS, so no log event reaches incidents or alerts. Check the mapping's state (aws lambda list-event-source-mappings --function-name ${props.functionName}). The stream keeps records 24 hours.`,
          // While the mapping runs, Lambda polls each shard for new records, busy or idle ("AWS Lambda then polls the
          // stream periodically (once per second) for new records": Lambda Developer Guide, "Using AWS Lambda with
          // Kinesis", awsdocs/aws-lambda-developer-guide with-kinesis.md; "Polling and batching streams"), and
          // GetRecords.Success is a stream-level metric (Kinesis Data Streams Developer Guide, "Monitoring the Amazon
          // Kinesis Data Streams service with Amazon CloudWatch"). No data point is no read: breaching.
          namespace: "AWS/Kinesis",
          dimensions: { StreamName: props.streamName },
          metricName: "GetRecords.Success",
          statistic: "Sum",
          threshold: 1,
          comparisonOperator: "LessThanThreshold",
          period: 300,
          evaluationPeriods: 1,
          treatMissingData: "breaching",
          ...actions,
        }),
      );
    }
    this.alarmArns = alarms.map((alarm) => alarm.arn);
  }
}
