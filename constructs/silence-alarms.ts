import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { FlatConstruct } from "./flat-construct";

/** CloudWatch's limit on an alarm description (PutMetricAlarm: AlarmDescription, 0 to 1024 characters). */
const ALARM_DESCRIPTION_MAX_LENGTH = 1024;

/** One log group watched for silence. */
export interface SilentLogGroup {
  /** The log group's name. */
  readonly logGroupName: string;
  /** Its alarm's name (see `silenceAlarmName`). */
  readonly alarmName: string;
  /** Its alarm's id (and Terraform address), `<logGroupId>-silence-alarm`. */
  readonly alarmId: string;
}

/** Props of {@link SilenceAlarms}. */
export interface SilenceAlarmsProps {
  /** The watched log groups. */
  readonly logGroups: readonly SilentLogGroup[];
  /** Minutes without a single event after which a group counts as silent (`LOG_MONITOR_SILENCE_ALARM_MINUTES`). */
  readonly silenceMinutes: number;
  /** Topics notified when an alarm fires and when it recovers. */
  readonly notifyTopicArns: readonly string[];
  /**
   * Where a recovery (OK) is announced: the alert topic, and the pager topic when there is one (OK resolves the
   * incident); never the critical topic, since a recovery is not a page for people.
   */
  readonly recoveryTopicArns: readonly string[];
}

/**
 * One silence alarm per log group, so that one application going quiet is seen while others still log: CloudWatch
 * publishes no `IncomingLogEvents` data point for a group that received nothing, so missing data is the silence.
 * Created in the parent's scope (see {@link FlatConstruct}).
 */
export class SilenceAlarms extends FlatConstruct {
  /** ARNs of the alarms, in the order of the groups. */
  readonly alarmArns: string[];

  constructor(scope: Construct, id: string, props: SilenceAlarmsProps) {
    super(scope, id);
    const minutes = props.silenceMinutes;
    this.alarmArns = props.logGroups.map(
      (group) =>
        new CloudwatchMetricAlarm(this.resourceScope, group.alarmId, {
          alarmName: group.alarmName,
          alarmDescription: truncate(
            `No log events at all reached ${group.logGroupName} for ${minutes} minutes. A silent application is an incident too: is it running, and can it write its logs?`,
            ALARM_DESCRIPTION_MAX_LENGTH,
          ),
          namespace: "AWS/Logs",
          metricName: "IncomingLogEvents",
          dimensions: { LogGroupName: group.logGroupName },
          statistic: "Sum",
          period: minutes * 60,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: "LessThanThreshold",
          treatMissingData: "breaching",
          alarmActions: [...props.notifyTopicArns],
          // A recovery is not a page: the alert topic only.
          okActions: [...props.recoveryTopicArns],
        }).arn,
    );
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
