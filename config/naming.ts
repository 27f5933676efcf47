import { createHash } from "node:crypto";
import type { MonitorConfig } from "./monitor-config";

/** The project's name: the first part of every resource name, tag and state key. */
export const PROJECT_NAME = "log-monitor";

/**
 * The name of one of the environment's resources, e.g. `log-monitor-dev-incidents`.
 * Every name carries the environment so that two environments can live in one account.
 */
export function resourceName(config: Pick<MonitorConfig, "environment">, suffix: string): string {
  return `${PROJECT_NAME}-${config.environment}-${suffix}`;
}

/** IAM's limit on a role name (IAM User Guide, "IAM object quotas": role name, 64 characters). */
export const IAM_ROLE_NAME_MAX_LENGTH = 64;

/**
 * The name of an IAM role (or other account-global name) of the environment: the resource name plus the region,
 * e.g. `log-monitor-dev-log-processor-eu-west-1`. IAM names are global to the account while everything else the
 * project names is regional, so the same environment deployed in two regions must not share one.
 */
export function globalResourceName(config: Pick<MonitorConfig, "environment" | "region">, suffix: string): string {
  return `${resourceName(config, suffix)}-${config.region}`;
}

/**
 * The Lambda functions an environment may create (their names are `resourceName(config, <function>)`):
 * `quiet-notices` only with `LOG_MONITOR_QUIET_NOTICES=true`.
 */
export const PROJECT_FUNCTIONS = ["test-emitter", "log-processor", "quiet-notices"] as const;

/**
 * The log groups the project itself creates: one per function, `/aws/lambda/<function name>` (the quiet-notice
 * sweeper's only when quiet notices are on).
 */
export function projectLogGroupNames(config: Pick<MonitorConfig, "environment"> & { readonly quietNotices?: boolean }): string[] {
  return PROJECT_FUNCTIONS.filter((fn) => fn !== "quiet-notices" || config.quietNotices === true).map(
    (fn) => `/aws/lambda/${resourceName(config, fn)}`,
  );
}

/** The suffixes of the pipeline's own alarms (`log-monitor-<env>-<suffix>`), created by the processing stack. */
export const PIPELINE_ALARM_SUFFIXES = [
  "processor-errors",
  "processor-throttles",
  "processor-duration",
  "dead-letter-queue-not-empty",
] as const;

/** CloudWatch's limit on an alarm name (PutMetricAlarm: AlarmName, 1 to 255 characters). */
export const ALARM_NAME_MAX_LENGTH = 255;

/**
 * The name of the silence alarm of one monitored log group: `log-monitor-<env>-silence-<group id>`, shortened with a
 * hash of the group's name when it would exceed CloudWatch's 255 characters (log group names reach 512).
 */
export function silenceAlarmName(config: Pick<MonitorConfig, "environment">, logGroupName: string): string {
  const name = resourceName(config, `silence-${logGroupId(logGroupName)}`);
  if (name.length <= ALARM_NAME_MAX_LENGTH) return name;
  const hash = createHash("sha256").update(logGroupName).digest("hex").slice(0, 8);
  return `${name.slice(0, ALARM_NAME_MAX_LENGTH - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/**
 * Every alarm name the environment creates, exactly. The key and topic policies admit CloudWatch for these names
 * and no others: a wildcard such as `log-monitor-prod-*` would also admit an environment named `prod-eu`.
 */
export function projectAlarmNames(
  config: Pick<MonitorConfig, "environment" | "logGroups" | "silenceAlarmMinutes"> & { readonly scale?: Pick<MonitorConfig["scale"], "transport"> },
): string[] {
  const silence = config.silenceAlarmMinutes === undefined ? [] : config.logGroups.map((group) => silenceAlarmName(config, group.name));
  const kinesis = config.scale?.transport === "kinesis" ? [resourceName(config, KINESIS_ITERATOR_AGE_ALARM_SUFFIX)] : [];
  return [resourceName(config, "errors"), ...silence, ...PIPELINE_ALARM_SUFFIXES.map((suffix) => resourceName(config, suffix)), ...kinesis];
}

/** The suffix of the alarm on the Kinesis event source mapping's iterator age (only with the Kinesis transport). */
export const KINESIS_ITERATOR_AGE_ALARM_SUFFIX = "processor-iterator-age";

/**
 * The suffix of the role CloudWatch Logs assumes to put records into the stream (Kinesis transport): as long as
 * `log-processor`, so the role-name length check of the functions' roles covers it.
 */
export const LOGS_DELIVERY_ROLE_SUFFIX = "logs-delivery";

/**
 * The suffix of the role CloudWatch Logs assumes to put the source accounts' deliveries into the stream (cross-account
 * destination), and of the role it assumes in a source account of an organization: both at most as long as
 * `log-processor`, so the role-name length check of the functions' roles covers them.
 */
export const LOGS_RECEIVER_ROLE_SUFFIX = "logs-receiver";
/** See {@link LOGS_RECEIVER_ROLE_SUFFIX}. */
export const LOGS_SENDER_ROLE_SUFFIX = "logs-sender";

/**
 * The S3 key of a stack's state: `log-monitor/<region>/<env>/<stack>.tfstate`. The region keeps the same environment
 * in two regions apart even when both keep their state in one bucket.
 */
export function stateKey(config: Pick<MonitorConfig, "environment" | "region">, stackId: string): string {
  return `${PROJECT_NAME}/${config.region}/${config.environment}/${stackId}.tfstate`;
}

/**
 * The local state file of a stack, relative to the project folder: `terraform.<region>.<env>.<stack>.tfstate`;
 * for the `state` stack, which is once per account and region, `terraform.[<account>.]<region>.state.tfstate` (the
 * account when `LOG_MONITOR_ACCOUNT_ID` names it: synthesis cannot ask AWS which account the credentials reach).
 */
export function localStateFile(
  config: Pick<MonitorConfig, "environment" | "region" | "accountId">,
  stackId: string,
  perEnvironment: boolean,
): string {
  if (perEnvironment) return `terraform.${config.region}.${config.environment}.${stackId}.tfstate`;
  return `terraform.${config.accountId === undefined ? "" : `${config.accountId}.`}${config.region}.${stackId}.tfstate`;
}

/**
 * The construct id of a monitored log group's resources, derived from its name (`/aws/lambda/orders` ->
 * `aws-lambda-orders`), never from its position in the list: adding or removing a group then leaves the
 * other groups' Terraform addresses, and so their resources, untouched.
 */
export function logGroupId(logGroupName: string): string {
  return logGroupName
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}
