import { Construct } from "constructs";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { ERROR_EVENTS_METRIC_PATTERNS } from "../config/filter-patterns";
import { FlatConstruct } from "./flat-construct";

/** One log group whose error events the alarm counts. */
export interface CountedLogGroup {
  /** The log group's name. */
  readonly logGroupName: string;
  /** Prefix of its metric filters' ids (and Terraform addresses): `""` for the test emitter's, `<logGroupId>-` for a user's. */
  readonly idPrefix: string;
  /** A metric filter pattern replacing the default pair (Lambda JSON and text formats). @default the pair */
  readonly metricPattern?: string;
}

/** Props of {@link ErrorCountAlarm}. */
export interface ErrorCountAlarmProps {
  /** The alarm's name, e.g. `log-monitor-prod-errors`. */
  readonly alarmName: string;
  /** The alarm's description. */
  readonly alarmDescription: string;
  /** Namespace of the error-count metric. */
  readonly metricNamespace: string;
  /** Name of the error-count metric. */
  readonly metricName: string;
  /** Name of each metric filter for a pattern: `<prefix><format>`, e.g. `log-monitor-prod-error-count-`. */
  readonly filterNamePrefix: string;
  /** The log groups counted into the one metric. */
  readonly logGroups: readonly CountedLogGroup[];
  /** Topics notified when the alarm fires and when it recovers. */
  readonly notifyTopicArns: readonly string[];
}

/**
 * The error alarm (`error-alarm`): metric filters count every group's ERROR, FATAL and CRITICAL events into one metric,
 * one filter per Lambda log format (a line is one or the other) unless the group has its own pattern, and the alarm
 * fires on one event in a minute. Created in the parent's scope (see {@link FlatConstruct}).
 */
export class ErrorCountAlarm extends FlatConstruct {
  /** The alarm's ARN. */
  readonly alarmArn: string;
  /** The alarm's name. */
  readonly alarmName: string;

  constructor(scope: Construct, id: string, props: ErrorCountAlarmProps) {
    super(scope, id);
    for (const group of props.logGroups) {
      const patterns: [string, string][] =
        group.metricPattern === undefined ? Object.entries(ERROR_EVENTS_METRIC_PATTERNS) : [["custom", group.metricPattern]];
      for (const [format, pattern] of patterns) {
        new CloudwatchLogMetricFilter(this.resourceScope, `${group.idPrefix}error-metric-filter-${format}`, {
          name: `${props.filterNamePrefix}${format}`,
          logGroupName: group.logGroupName,
          pattern,
          metricTransformation: { namespace: props.metricNamespace, name: props.metricName, value: "1", unit: "Count" },
        });
      }
    }
    const alarm = new CloudwatchMetricAlarm(this.resourceScope, "error-alarm", {
      alarmName: props.alarmName,
      alarmDescription: props.alarmDescription,
      namespace: props.metricNamespace,
      metricName: props.metricName,
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      // No error events means no data points, which is the healthy state, not an unknown one.
      treatMissingData: "notBreaching",
      alarmActions: [...props.notifyTopicArns],
      okActions: [...props.notifyTopicArns],
    });
    this.alarmArn = alarm.arn;
    this.alarmName = alarm.alarmName;
  }
}
