/**
 * The project's configuration: read once from the environment, validated, and typed.
 * Nothing else in the infrastructure code reads the environment (main.ts passes it in).
 */

import { ConfigurationError } from "./config-error";
import { ChatChannel, CRITICAL_SUFFIX, parseSlackChannels, parseTeamsChannels } from "./chat-channels";
import { MonitoredLogGroup, parseLogGroups } from "./log-groups";
import { globalResourceName, IAM_ROLE_NAME_MAX_LENGTH, PROJECT_FUNCTIONS, projectLogGroupNames } from "./naming";
import { CrossAccountSettings, parseCrossAccount } from "./cross-account";
import { parseScaleSettings, ScaleSettings } from "./scale";
import { checkUnknownVariables, KnownVariable } from "./variables";
import { checkRegion, partitionOfRegion, ReadTextFile, readTextFile, resolveRegion } from "./regions";
import { checkChatPartition, checkEmailList, checkKmsKeyLocation, checkLogsInvokePolicySize, checkReservedConcurrency } from "./deployability";

export { ConfigurationError } from "./config-error";
export type { MonitoredLogGroup } from "./log-groups";
export type { ChatChannel, SlackChannel, TeamsChannel } from "./chat-channels";
export type { ScaleSettings, Transport } from "./scale";
export type { CrossAccountSettings, SourceScope } from "./cross-account";
export { KNOWN_VARIABLES } from "./variables";

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
}

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS_ALLOWED: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const DEFAULTS = {
  region: "us-east-1",
  environment: "dev",
  metricNamespace: "LogMonitoring",
  metricName: "ErrorCount",
  logRetentionDays: 30,
  incidentTtlDays: 30,
  suppressionMinutes: 15,
  maxAlertsPerDelivery: 10,
} as const;

// Commercial, China and GovCloud region names, e.g. us-east-1, cn-north-1, us-gov-west-1, ap-southeast-5.
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
// Lower-case so that it fits S3 keys, IAM names and Lambda names alike; short so that
// "log-monitor-<env>-log-processor-dlq" stays well inside the 64-character limits of IAM and Lambda.
const ENVIRONMENT = /^[a-z](?:[a-z0-9-]{0,14}[a-z0-9])?$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;
// S3, "General purpose bucket naming rules" (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
// prefixes and suffixes reserved for other kinds of names (IDNs, access point and Multi-Region Access Point aliases,
// directory and table buckets, AWS's own and documentation buckets).
const BUCKET_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
const BUCKET_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] as const;

/**
 * Why a general purpose bucket name breaks S3's naming rules, or `undefined` when it follows them all
 * (S3 user guide, "General purpose bucket naming rules").
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `it has ${name.length} characters; use 3 to 63`;
  if (!/^[a-z0-9.-]+$/.test(name)) return "use only lower-case letters, digits, dots and hyphens";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "it must start and end with a letter or digit";
  if (name.includes("..")) return "it must not contain two adjacent dots";
  if (IP_ADDRESS.test(name)) return "it must not be formatted as an IP address";
  const prefix = BUCKET_RESERVED_PREFIXES.find((reserved) => name.startsWith(reserved));
  if (prefix !== undefined) return `the prefix ${prefix} is reserved by S3`;
  const suffix = BUCKET_RESERVED_SUFFIXES.find((reserved) => name.endsWith(reserved));
  if (suffix !== undefined) return `the suffix ${suffix} is reserved by S3`;
  return undefined;
}
// Deliberately plain: one @, no spaces, a dotted domain. SNS validates the rest when it sends the confirmation.
const EMAIL = /^[^\s@,;<>"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
// CloudWatch (PutMetricData): "alphanumeric characters, period, hyphen, underscore, forward slash, hash, colon, and
// space"; but the metric filters count into it, and PutMetricFilter's metricTransformation.metricNamespace is
// `[^:*$]*`, at most 255 (botocore logs/2014-03-28 service-2.json, shape MetricNamespace): no colon.
const METRIC_NAMESPACE = /^[A-Za-z0-9._\-/# ]{1,255}$/;
// PutMetricData: Namespace, 1 to 255 characters.
const METRIC_NAMESPACE_MAX_LENGTH = 255;
const ACCOUNT_ID = /^\d{12}$/;
// Printable ASCII, 1 to 255 (PutMetricAlarm MetricName), without PutMetricFilter's `:`, `*` and `$`
// (botocore logs/2014-03-28 service-2.json, shape MetricName: pattern `[^:*$]*`, max 255).
const METRIC_NAME = /^[\x20-\x7e]{1,255}$/;
const METRIC_FILTER_FORBIDDEN = /[:*$]/;
// Single-region and multi-Region key ARNs in any partition.
const KMS_KEY_ARN = /^arn:aws(-[a-z]+)*:kms:[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const POLICY_ARN = /^arn:aws(-[a-z]+)*:iam::(\d{12}|aws):policy\/[\w+=,.@\/-]{1,128}$/;

/** How {@link loadConfig} reads what is not in the environment. */
export interface LoadConfigOptions {
  /** Reads the shared AWS config file for the profile's region. @default the file system */
  readonly readFile?: ReadTextFile;
}

/**
 * Reads and validates the configuration from environment variables (and, for the region, the shared AWS config file
 * they point to); throws {@link ConfigurationError}. Reads only `env`, never the process's own environment.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, options: LoadConfigOptions = {}): MonitorConfig {
  checkUnknownVariables(env);
  const read = (name: KnownVariable): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };

  const resolvedRegion = resolveRegion(env, options.readFile ?? readTextFile) ?? { region: DEFAULTS.region, variable: "AWS_REGION" as const };
  const region = parseRegion(resolvedRegion.variable, resolvedRegion.region, resolvedRegion.source);
  // Set but empty is a mistake (an unset CI variable, say), not a request for the default environment.
  const environmentValue = env["LOG_MONITOR_ENV"];
  if (environmentValue !== undefined && environmentValue.trim() === "") {
    throw new ConfigurationError(
      "LOG_MONITOR_ENV",
      environmentValue,
      "is empty: name the environment (1 to 16 lower-case letters, digits and hyphens), or unset the variable for dev",
    );
  }
  const environment = parseEnvironment(read("LOG_MONITOR_ENV") ?? DEFAULTS.environment);
  checkGlobalNames(environment, region);
  const logGroups = parseLogGroups(env["LOG_MONITOR_LOG_GROUPS"], projectLogGroupNames({ environment, quietNotices: true }));
  const silenceAlarmMinutes =
    read("LOG_MONITOR_SILENCE_ALARM_MINUTES") === undefined
      ? undefined
      : parseInteger("LOG_MONITOR_SILENCE_ALARM_MINUTES", read("LOG_MONITOR_SILENCE_ALARM_MINUTES"), { defaultValue: 0, min: 5, max: 1440 });
  if (silenceAlarmMinutes !== undefined && logGroups.length === 0) {
    throw new ConfigurationError(
      "LOG_MONITOR_SILENCE_ALARM_MINUTES",
      String(silenceAlarmMinutes),
      "needs LOG_MONITOR_LOG_GROUPS: the silence alarm watches your own log groups (the test emitter's group is silent by design)",
    );
  }
  checkEmailList(env["LOG_MONITOR_ALERT_EMAILS"]);
  const emails = parseEmails(env["LOG_MONITOR_ALERT_EMAILS"] ?? "");
  const alertEmails = emails.filter((email) => !email.criticalOnly).map((email) => email.address);
  const criticalAlertEmails = emails.filter((email) => email.criticalOnly).map((email) => email.address);
  const chatChannels = [...parseSlackChannels(env["LOG_MONITOR_SLACK_CHANNELS"]), ...parseTeamsChannels(env["LOG_MONITOR_TEAMS_CHANNELS"])];
  checkChatPartition(region, chatChannels);
  const realtimeAlerts = parseBoolean("LOG_MONITOR_REALTIME_ALERTS", read("LOG_MONITOR_REALTIME_ALERTS")) ?? true;
  const quietNotices = parseBoolean("LOG_MONITOR_QUIET_NOTICES", read("LOG_MONITOR_QUIET_NOTICES")) ?? false;
  if (quietNotices && !realtimeAlerts) {
    throw new ConfigurationError(
      "LOG_MONITOR_QUIET_NOTICES",
      "true",
      "needs real-time alerts: a quiet-again notice closes an episode that a real-time alert opened (unset LOG_MONITOR_REALTIME_ALERTS=false, or the notices)",
    );
  }
  const monthlyBudgetUsd = parseBudget(read("LOG_MONITOR_MONTHLY_BUDGET_USD"), alertEmails.length);
  const accountId = parseArn("LOG_MONITOR_ACCOUNT_ID", read("LOG_MONITOR_ACCOUNT_ID"), ACCOUNT_ID, "an AWS account id (12 digits)");
  const scale = parseScaleSettings(read);
  checkLogsInvokePolicySize({
    environment,
    region,
    logGroupNames: logGroups.map((group) => group.name),
    transport: scale.transport,
    accountWide: scale.accountWide,
  });
  const crossAccount = parseCrossAccount(read, { transport: scale.transport, accountId, region, environment });
  if (crossAccount?.sourceAccountId !== undefined && logGroups.length === 0 && !scale.accountWide) {
    throw new ConfigurationError(
      "LOG_MONITOR_SOURCE_ACCOUNT_ID",
      crossAccount.sourceAccountId,
      "makes a source stack that subscribes nothing: set LOG_MONITOR_LOG_GROUPS (that account's log groups) or LOG_MONITOR_ACCOUNT_WIDE=true",
    );
  }

  return {
    region,
    environment,
    stateBackend: parseStateBackend(read("LOG_MONITOR_STATE_BUCKET"), read("LOG_MONITOR_STATE_REGION"), region),
    alertEmails,
    criticalAlertEmails,
    chatChannels,
    metricNamespace: parseMetricNamespace(read("LOG_MONITOR_METRIC_NAMESPACE") ?? DEFAULTS.metricNamespace, environment),
    metricName: parseMetricName(read("LOG_MONITOR_METRIC_NAME") ?? DEFAULTS.metricName),
    logRetentionDays: parseRetention(read("LOG_MONITOR_LOG_RETENTION_DAYS")),
    incidentTtlDays: parseInteger("LOG_MONITOR_INCIDENT_TTL_DAYS", read("LOG_MONITOR_INCIDENT_TTL_DAYS"), {
      defaultValue: DEFAULTS.incidentTtlDays,
      min: 1,
      max: 3650,
    }),
    realtimeAlerts,
    quietNotices,
    suppressionMinutes: parseInteger("LOG_MONITOR_SUPPRESSION_MINUTES", read("LOG_MONITOR_SUPPRESSION_MINUTES"), {
      defaultValue: DEFAULTS.suppressionMinutes,
      min: 1,
      max: 1440,
    }),
    maxAlertsPerDelivery: parseInteger("LOG_MONITOR_MAX_ALERTS_PER_DELIVERY", read("LOG_MONITOR_MAX_ALERTS_PER_DELIVERY"), {
      defaultValue: DEFAULTS.maxAlertsPerDelivery,
      min: 1,
      max: 100,
    }),
    ...optional("kmsKeyArn", checkKmsKeyLocation(parseArn("LOG_MONITOR_KMS_KEY_ARN", read("LOG_MONITOR_KMS_KEY_ARN"), KMS_KEY_ARN, "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)"), region, accountId)),
    ...optional(
      "permissionsBoundaryArn",
      parseArn("LOG_MONITOR_PERMISSIONS_BOUNDARY", read("LOG_MONITOR_PERMISSIONS_BOUNDARY"), POLICY_ARN, "an IAM policy ARN (arn:aws:iam::<account>:policy/<name>)"),
    ),
    ...optional(
      "processorReservedConcurrency",
      read("LOG_MONITOR_RESERVED_CONCURRENCY") === undefined
        ? undefined
        : checkReservedConcurrency(parseInteger("LOG_MONITOR_RESERVED_CONCURRENCY", read("LOG_MONITOR_RESERVED_CONCURRENCY"), { defaultValue: 0, min: 1, max: 1000 })),
    ),
    ...optional("silenceAlarmMinutes", silenceAlarmMinutes),
    logGroups,
    deletionProtection: parseBoolean("LOG_MONITOR_DELETION_PROTECTION", read("LOG_MONITOR_DELETION_PROTECTION")) ??
      environment !== "dev",
    ...optional("monthlyBudgetUsd", monthlyBudgetUsd),
    ...optional("accountId", accountId),
    scale,
    ...optional("crossAccount", crossAccount),
  };
}

/**
 * IAM role names are global to the account, so they carry the region; IAM caps them at 64 characters
 * (IAM User Guide, "IAM and AWS STS quotas": role name, 64 characters). The region pattern admits names longer
 * than AWS's, so the longest role name is checked here rather than failing at apply.
 */
function checkGlobalNames(environment: string, region: string): void {
  for (const fn of PROJECT_FUNCTIONS) {
    const name = globalResourceName({ environment, region }, fn);
    if (name.length > IAM_ROLE_NAME_MAX_LENGTH) {
      throw new ConfigurationError(
        "AWS_REGION",
        region,
        `makes the IAM role name ${JSON.stringify(name)} ${name.length} characters long; IAM allows ${IAM_ROLE_NAME_MAX_LENGTH} (shorten LOG_MONITOR_ENV or check the region)`,
      );
    }
  }
}

/** Budgets notifies at most 10 email subscribers per notification (AWS Budgets quotas: "Notifications"). */
const BUDGET_EMAIL_SUBSCRIBERS_MAX = 10;

function parseBudget(value: string | undefined, emailCount: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d{1,2})?$/.test(value) || Number(value) <= 0 || Number(value) > 1_000_000) {
    throw new ConfigurationError(
      "LOG_MONITOR_MONTHLY_BUDGET_USD",
      value,
      "is not an amount in US dollars (a number above 0 and up to 1000000, at most two decimals, e.g. 25 or 12.50)",
    );
  }
  if (emailCount > BUDGET_EMAIL_SUBSCRIBERS_MAX) {
    throw new ConfigurationError(
      "LOG_MONITOR_MONTHLY_BUDGET_USD",
      value,
      `cannot notify ${emailCount} alert emails directly: AWS Budgets allows ${BUDGET_EMAIL_SUBSCRIBERS_MAX} email subscribers per notification (list at most ${BUDGET_EMAIL_SUBSCRIBERS_MAX} in LOG_MONITOR_ALERT_EMAILS)`,
    );
  }
  return Number(value);
}

/** `{ key: value }` when the value is defined, `{}` otherwise, so optional fields stay absent rather than undefined. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function parseArn(variable: string, value: string | undefined, pattern: RegExp, expected: string): string | undefined {
  if (value === undefined) return undefined;
  if (!pattern.test(value)) throw new ConfigurationError(variable, value, `is not ${expected}`);
  return value;
}

function parseRegion(variable: "AWS_REGION" | "AWS_DEFAULT_REGION" | "AWS_PROFILE" | "LOG_MONITOR_STATE_REGION", value: string, source?: string): string {
  if (!REGION.test(value)) {
    const from = source === undefined ? "" : ` (the region of ${source})`;
    throw new ConfigurationError(variable, value, `is not an AWS region name${from} (for example us-east-1 or eu-west-2)`);
  }
  if (variable === "LOG_MONITOR_STATE_REGION") {
    if (partitionOfRegion(value) === undefined) {
      throw new ConfigurationError(variable, value, "is not an AWS region: use a region of the aws, aws-cn or aws-us-gov partition, for example us-east-1 or eu-west-2");
    }
    return value;
  }
  return checkRegion({ region: value, variable, ...(source === undefined ? {} : { source }) });
}

function parseEnvironment(value: string): string {
  if (!ENVIRONMENT.test(value)) {
    throw new ConfigurationError(
      "LOG_MONITOR_ENV",
      value,
      "is not a valid environment name: use 1 to 16 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen",
    );
  }
  return value;
}

function parseStateBackend(bucket: string | undefined, stateRegion: string | undefined, region: string): StateBackendConfig {
  if (bucket === undefined) {
    if (stateRegion !== undefined) {
      throw new ConfigurationError(
        "LOG_MONITOR_STATE_REGION",
        stateRegion,
        "is set but LOG_MONITOR_STATE_BUCKET is not: set the bucket too, or unset the region",
      );
    }
    return { kind: "local" };
  }
  const problem = bucketNameProblem(bucket);
  if (problem !== undefined) {
    throw new ConfigurationError("LOG_MONITOR_STATE_BUCKET", bucket, `is not a valid S3 bucket name: ${problem}`);
  }
  return {
    kind: "s3",
    bucket,
    region: stateRegion === undefined ? region : parseRegion("LOG_MONITOR_STATE_REGION", stateRegion),
  };
}

function parseEmails(value: string): readonly { readonly address: string; readonly criticalOnly: boolean }[] {
  const entries = value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  const seen = new Set<string>();
  return entries.map((entry) => {
    const criticalOnly = entry.toLowerCase().endsWith(CRITICAL_SUFFIX);
    const email = criticalOnly ? entry.slice(0, -CRITICAL_SUFFIX.length) : entry;
    if (!EMAIL.test(email)) {
      throw new ConfigurationError(
        "LOG_MONITOR_ALERT_EMAILS",
        entry,
        entry.includes(":") && !criticalOnly ? `is not an email address (the only suffix is ${CRITICAL_SUFFIX})` : "is not an email address",
      );
    }
    const key = email.toLowerCase();
    if (seen.has(key)) {
      throw new ConfigurationError("LOG_MONITOR_ALERT_EMAILS", email, "is listed more than once");
    }
    seen.add(key);
    return { address: email, criticalOnly };
  });
}

function parseMetricNamespace(value: string, environment: string): string {
  if (!METRIC_NAMESPACE.test(value)) {
    throw new ConfigurationError(
      "LOG_MONITOR_METRIC_NAMESPACE",
      value,
      "is not a valid CloudWatch namespace: use up to 255 letters, digits, spaces and . - _ / # (metric filters refuse : * $)",
    );
  }
  if (value.startsWith("AWS/")) {
    throw new ConfigurationError("LOG_MONITOR_METRIC_NAMESPACE", value, "uses the AWS/ prefix, which is reserved for AWS services");
  }
  const namespace = `${value}/${environment}`;
  if (namespace.length > METRIC_NAMESPACE_MAX_LENGTH) {
    throw new ConfigurationError(
      "LOG_MONITOR_METRIC_NAMESPACE",
      value,
      `is too long: with the environment, the namespace ${JSON.stringify(namespace)} has ${namespace.length} characters; CloudWatch allows ${METRIC_NAMESPACE_MAX_LENGTH}`,
    );
  }
  return namespace;
}

function parseMetricName(value: string): string {
  if (!METRIC_NAME.test(value)) {
    throw new ConfigurationError("LOG_MONITOR_METRIC_NAME", value, "is not a valid CloudWatch metric name: use 1 to 255 printable ASCII characters");
  }
  if (METRIC_FILTER_FORBIDDEN.test(value)) {
    throw new ConfigurationError("LOG_MONITOR_METRIC_NAME", value, "has a character metric filters refuse (PutMetricFilter allows no : * or $ in a metric name)");
  }
  return value;
}

function parseRetention(value: string | undefined): number {
  const days = parseInteger("LOG_MONITOR_LOG_RETENTION_DAYS", value, { defaultValue: DEFAULTS.logRetentionDays, min: 1, max: 3653 });
  if (!LOG_RETENTION_DAYS_ALLOWED.includes(days)) {
    throw new ConfigurationError(
      "LOG_MONITOR_LOG_RETENTION_DAYS",
      String(value),
      `is not a retention CloudWatch Logs accepts: use one of ${LOG_RETENTION_DAYS_ALLOWED.join(", ")}`,
    );
  }
  return days;
}

function parseInteger(
  variable: string,
  value: string | undefined,
  { defaultValue, min, max }: { defaultValue: number; min: number; max: number },
): number {
  if (value === undefined) return defaultValue;
  if (!/^\d+$/.test(value)) {
    throw new ConfigurationError(variable, value, `is not a whole number (expected ${min} to ${max})`);
  }
  const number = Number(value);
  if (number < min || number > max) {
    throw new ConfigurationError(variable, value, `is out of range (expected ${min} to ${max})`);
  }
  return number;
}

function parseBoolean(variable: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new ConfigurationError(variable, value, "is not a boolean (expected true or false)");
}
