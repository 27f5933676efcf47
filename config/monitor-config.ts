/**
 * The shape of the validated configuration: what every stack and construct reads. Parsed by `loadConfig` (config.ts);
 * each concern's variables are checked in their own module (values.ts, state-backend.ts, alert-settings.ts, scale.ts,
 * cross-account.ts, chat-channels.ts, log-groups.ts).
 */
import type { ChatChannel } from "./chat-channels";
import type { CrossAccountSettings } from "./cross-account";
import type { MonitoredLogGroup } from "./log-groups";
import type { ScaleSettings } from "./scale";

/** Where Terraform keeps each stack's state. */
export type StateBackendConfig =
  | {
      /** No state bucket configured: each stack keeps a local state file in the project folder. */
      readonly kind: "local";
    }
  | {
      /** An S3 bucket with S3-native locking (Terraform >= 1.10). */
      readonly kind: "s3";
      /** The bucket's name (`LOG_MONITOR_STATE_BUCKET`). */
      readonly bucket: string;
      /** The bucket's region (`LOG_MONITOR_STATE_REGION`). @default the AWS region */
      readonly region: string;
    };

/** The validated configuration of one environment of the log monitor. */
export interface MonitorConfig {
  /**
   * The AWS region every stack deploys to, resolved as the AWS SDKs do: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then
   * the `region` of the profile (`AWS_PROFILE`, else `default`) in the shared config file (`AWS_CONFIG_FILE`, else
   * `~/.aws/config`); a region of the aws, aws-cn or aws-us-gov partition (config/regions.ts). @default "us-east-1"
   */
  readonly region: string;
  /** The environment's name (`LOG_MONITOR_ENV`); part of every resource name and state key. @default "dev" */
  readonly environment: string;
  /** Where state is kept (`LOG_MONITOR_STATE_BUCKET`, `LOG_MONITOR_STATE_REGION`). @default local state files */
  readonly stateBackend: StateBackendConfig;
  /**
   * Addresses subscribed to every alert by email (`LOG_MONITOR_ALERT_EMAILS` entries without `:critical`): the alert
   * topic, and the budget's notifications. @default none
   */
  readonly alertEmails: readonly string[];
  /**
   * Addresses that receive pages only (`LOG_MONITOR_ALERT_EMAILS` entries ending in `:critical`): subscribed to the
   * critical topic, which carries FATAL/CRITICAL real-time alerts and the alarms' transitions. @default none
   */
  readonly criticalAlertEmails: readonly string[];
  /**
   * Slack and Microsoft Teams channels subscribed through AWS Chatbot (`LOG_MONITOR_SLACK_CHANNELS`,
   * `LOG_MONITOR_TEAMS_CHANNELS`); a channel marked `:critical` receives pages only. @default none
   */
  readonly chatChannels: readonly ChatChannel[];
  /**
   * Namespace of the environment's error-count metric: `LOG_MONITOR_METRIC_NAMESPACE` followed by `/<environment>`,
   * so that two environments in one account never count into, alarm on or chart the same series.
   * @default "LogMonitoring/<environment>"
   */
  readonly metricNamespace: string;
  /** Name of the error-count metric (`LOG_MONITOR_METRIC_NAME`). @default "ErrorCount" */
  readonly metricName: string;
  /** Retention of every log group the project creates (`LOG_MONITOR_LOG_RETENTION_DAYS`). @default 30 */
  readonly logRetentionDays: number;
  /** How long incident records are kept before DynamoDB's TTL removes them (`LOG_MONITOR_INCIDENT_TTL_DAYS`). @default 30 */
  readonly incidentTtlDays: number;
  /** Whether the processor publishes real-time alerts to the alert topic (`LOG_MONITOR_REALTIME_ALERTS`). @default true */
  readonly realtimeAlerts: boolean;
  /**
   * Whether a failure that alerted and then did not recur for a whole suppression window gets one "quiet again"
   * message with its count over the episode (`LOG_MONITOR_QUIET_NOTICES`); needs real-time alerts. @default false
   */
  readonly quietNotices: boolean;
  /**
   * How long, in minutes, one failure (fingerprint) stays quiet after it alerted (`LOG_MONITOR_SUPPRESSION_MINUTES`).
   * @default 15
   */
  readonly suppressionMinutes: number;
  /**
   * Most real-time alert messages one delivery (one invocation of the processor) publishes
   * (`LOG_MONITOR_MAX_ALERTS_PER_DELIVERY`, 1 to 100); further failures of the delivery are summarised in one
   * digest message.
   * @default 10
   */
  readonly maxAlertsPerDelivery: number;
  /**
   * ARN of an existing customer-managed KMS key to use instead of creating one (`LOG_MONITOR_KMS_KEY_ARN`).
   * Its key policy must grant what the created key's policy grants (see README, Security).
   * @default a key created by the alerting stack
   */
  readonly kmsKeyArn?: string;
  /** ARN of a permissions boundary attached to every role the project creates (`LOG_MONITOR_PERMISSIONS_BOUNDARY`). @default none */
  readonly permissionsBoundaryArn?: string;
  /**
   * Reserved concurrency of the log processor (`LOG_MONITOR_RESERVED_CONCURRENCY`). Opt-in: an account still on
   * the new-account concurrency quota of 10 must keep 10 unreserved, so any reservation fails to deploy there.
   * @default none (the processor shares the account's unreserved pool)
   */
  readonly processorReservedConcurrency?: number;
  /**
   * Minutes without any log event in one of the user's monitored log groups after which that group's silence
   * alarm fires (`LOG_MONITOR_SILENCE_ALARM_MINUTES`); needs `LOG_MONITOR_LOG_GROUPS`. @default no silence alarm
   */
  readonly silenceAlarmMinutes?: number;
  /**
   * The user's existing log groups monitored besides the test emitter's (`LOG_MONITOR_LOG_GROUPS`).
   * @default none
   */
  readonly logGroups: readonly MonitoredLogGroup[];
  /**
   * Whether the incidents table refuses deletion (`LOG_MONITOR_DELETION_PROTECTION`).
   * @default true, except in the environment named "dev"
   */
  readonly deletionProtection: boolean;
  /**
   * A monthly cost budget in US dollars (`LOG_MONITOR_MONTHLY_BUDGET_USD`): AWS Budgets notifies the alert topic and
   * the alert emails at 80% and 100% of actual cost and at 100% of forecast cost. @default no budget
   */
  readonly monthlyBudgetUsd?: number;
  /**
   * The AWS account the stacks may deploy to (`LOG_MONITOR_ACCOUNT_ID`): Terraform refuses credentials of any other
   * account, and the `state` stack's local state file carries it. @default any account
   */
  readonly accountId?: string;
  /**
   * Monitoring at scale: transport (`LOG_MONITOR_TRANSPORT`), Kinesis batching, account-wide monitoring
   * (`LOG_MONITOR_ACCOUNT_WIDE`) and its exclusions (`LOG_MONITOR_EXCLUDE_LOG_GROUPS`). See config/scale.ts.
   * @default direct transport, per-group subscriptions only
   */
  readonly scale: ScaleSettings;
  /**
   * Cross-account delivery: the accounts (`LOG_MONITOR_SOURCE_ACCOUNTS`) or organization (`LOG_MONITOR_ORGANIZATION_ID`)
   * admitted to the environment's CloudWatch Logs destination, the central account (`LOG_MONITOR_ACCOUNT_ID`) and the
   * source account the `source` stack is synthesized for (`LOG_MONITOR_SOURCE_ACCOUNT_ID`). See config/cross-account.ts.
   * @default no destination (the central account's own log groups only)
   */
  readonly crossAccount?: CrossAccountSettings;
  /**
   * Name of the SSM SecureString parameter holding the HTTPS endpoint paged on every alarm transition, ALARM and OK
   * (`LOG_MONITOR_PAGER_ENDPOINT_PARAMETER`): PagerDuty's Amazon CloudWatch integration URL, or another webhook that
   * confirms SNS subscriptions itself. Read by Terraform at plan time, never by synth. @default no pager
   */
  readonly pagerEndpointParameter?: string;
}
