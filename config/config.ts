/**
 * The project's configuration: read once from the environment, validated, and typed.
 * Nothing else in the infrastructure code reads the environment (main.ts passes it in).
 * `loadConfig` reads each variable and applies the rules that span variables; each concern's values are checked in
 * their own module, and the result's shape is in monitor-config.ts.
 */

import { ConfigurationError } from "./config-error";
import { parseEmails, parseBudget, parseMetricName, parseMetricNamespace } from "./alert-settings";
import { parseSlackChannels, parseTeamsChannels } from "./chat-channels";
import { parseLogGroups } from "./log-groups";
import { parsePagerEndpointParameter } from "./paging";
import type { MonitorConfig } from "./monitor-config";
import { globalResourceName, IAM_ROLE_NAME_MAX_LENGTH, PROJECT_FUNCTIONS, projectLogGroupNames } from "./naming";
import { parseCrossAccount } from "./cross-account";
import { parseScaleSettings } from "./scale";
import { parseStateBackend } from "./state-backend";
import { optional, parseArn, parseBoolean, parseEnvironment, parseInteger, parseRegion, parseRetention } from "./values";
import { checkUnknownVariables, KnownVariable } from "./variables";
import { ReadTextFile, readTextFile, resolveRegion } from "./regions";
import { checkChatPartition, checkEmailList, checkKmsKeyLocation, checkLogsInvokePolicySize, checkReservedConcurrency } from "./deployability";

export { ConfigurationError } from "./config-error";
export type { MonitoredLogGroup } from "./log-groups";
export type { ChatChannel, SlackChannel, TeamsChannel } from "./chat-channels";
export type { ScaleSettings, Transport } from "./scale";
export type { CrossAccountSettings, SourceScope } from "./cross-account";
export type { MonitorConfig, StateBackendConfig } from "./monitor-config";
export { bucketNameProblem } from "./state-backend";
export { LOG_RETENTION_DAYS_ALLOWED } from "./values";
export { KNOWN_VARIABLES } from "./variables";

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

const ACCOUNT_ID = /^\d{12}$/;
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
    logRetentionDays: parseRetention(read("LOG_MONITOR_LOG_RETENTION_DAYS"), DEFAULTS.logRetentionDays),
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
    ...optional("pagerEndpointParameter", parsePagerEndpointParameter(read("LOG_MONITOR_PAGER_ENDPOINT_PARAMETER"), region)),
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
