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
 * `quiet-notices` only with `LOG_MONITOR_QUIET_NOTICES=true`; `triage-widget` in the dashboard stack.
 */
export const PROJECT_FUNCTIONS = ["test-emitter", "log-processor", "quiet-notices", "triage-widget"] as const;

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
  const kinesis =
    config.scale?.transport === "kinesis"
      ? [resourceName(config, KINESIS_ITERATOR_AGE_ALARM_SUFFIX), resourceName(config, KINESIS_NOT_READ_ALARM_SUFFIX)]
      : [];
  return [resourceName(config, "errors"), ...silence, ...PIPELINE_ALARM_SUFFIXES.map((suffix) => resourceName(config, suffix)), ...kinesis];
}

/**
 * ARN resource patterns (`alarm:<name or pattern>`) covering every alarm of the environment, for policies whose size
 * must not grow with the group list (the chat guardrail: IAM's managed-policy quota is 6,144 characters): the fixed
 * alarms by exact name, the silence alarms by their prefix `log-monitor-<env>-silence-*` (one per monitored group).
 */
export function projectAlarmNamePatterns(
  config: Pick<MonitorConfig, "environment" | "logGroups" | "silenceAlarmMinutes"> & { readonly scale?: Pick<MonitorConfig["scale"], "transport"> },
): string[] {
  const fixed = projectAlarmNames({ ...config, silenceAlarmMinutes: undefined });
  return config.silenceAlarmMinutes === undefined || config.logGroups.length === 0 ? fixed : [...fixed, `${resourceName(config, "silence-")}*`];
}

/** The suffix of the alarm on the Kinesis event source mapping's iterator age (only with the Kinesis transport). */
export const KINESIS_ITERATOR_AGE_ALARM_SUFFIX = "processor-iterator-age";

/** The suffix of the alarm on nothing reading the Kinesis stream (only with the Kinesis transport). */
export const KINESIS_NOT_READ_ALARM_SUFFIX = "processor-stream-not-read";

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

/**
 * Lambda AddPermission's limits on a statement id: 1 to 100 characters matching `([a-zA-Z0-9-_]+)` (botocore
 * `lambda/2015-03-31/service-2.json`, shape StatementId, botocore 1.43.67), unique within the function's policy.
 */
export const STATEMENT_ID_MAX_LENGTH = 100;

/** A short, stable hash of a name, for suffixes that keep shortened names apart. */
export function nameHash(name: string): string {
  return createHash("sha256").update(name).digest("hex").slice(0, 8);
}

/**
 * The statement id of the processor's invoke permission for one log group (`CloudWatchLogsInvoke-<group id>`), or for
 * the test emitter's group when no name is given (`CloudWatchLogsInvoke`). Longer than 100 characters, it is cut and
 * ends in a hash of the group's name: two groups sharing a long prefix must not get the same id (AddPermission refuses
 * a statement id the function's policy already has).
 */
export function logsInvokeStatementId(logGroupName?: string): string {
  if (logGroupName === undefined) return "CloudWatchLogsInvoke";
  const id = `CloudWatchLogsInvoke-${logGroupId(logGroupName)}`;
  if (id.length <= STATEMENT_ID_MAX_LENGTH) return id;
  const hash = nameHash(logGroupName);
  return `${id.slice(0, STATEMENT_ID_MAX_LENGTH - hash.length - 1)}-${hash}`;
}

/** The statement id of the account-wide invoke permission (`LOG_MONITOR_ACCOUNT_WIDE` with the direct transport). */
export const ACCOUNT_WIDE_STATEMENT_ID = "CloudWatchLogsInvokeAccountWide";

/**
 * A construct id for an email subscription, derived from the address rather than its position in the list, so that
 * removing one address leaves the other subscriptions untouched: `first-last-at-corp-com` for `first.last@corp.com`.
 */
export function addressId(email: string): string {
  return email
    .toLowerCase()
    .replace(/@/g, "-at-")
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * Construct ids for a list of email subscriptions that cannot collide: {@link addressId} for every address whose id no
 * other address of the list shares (the ids existing deployments already have), and `<address id>_<hash>` for those
 * that share one (`first.last@corp.com` and `first-last@corp.com` both map to `first-last-at-corp-com`). An address
 * id never contains `_`, so a hashed id never equals a plain one; two hashed ids differ by the hash of the address.
 */
export function emailSubscriptionIds(addresses: readonly string[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const address of addresses) counts.set(addressId(address), (counts.get(addressId(address)) ?? 0) + 1);
  return new Map(
    addresses.map((address) => {
      const id = addressId(address);
      return [address, (counts.get(id) ?? 0) > 1 ? `${id}_${nameHash(address.toLowerCase())}` : id];
    }),
  );
}
