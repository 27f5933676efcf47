/**
 * Who is alerted and what is counted: the alert emails (`LOG_MONITOR_ALERT_EMAILS`, `:critical` for pages only), the
 * error-count metric's namespace and name (`LOG_MONITOR_METRIC_NAMESPACE`, `LOG_MONITOR_METRIC_NAME`) and the monthly
 * budget that notifies the alert emails (`LOG_MONITOR_MONTHLY_BUDGET_USD`).
 */
import { CRITICAL_SUFFIX } from "./chat-channels";
import { ConfigurationError } from "./config-error";

// Deliberately plain: one @, no spaces, a dotted domain. SNS validates the rest when it sends the confirmation.
const EMAIL = /^[^\s@,;<>"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
// CloudWatch: "alphanumeric characters, period, hyphen, underscore, forward slash, hash, colon, and space".
// CloudWatch (PutMetricData): "alphanumeric characters, period, hyphen, underscore, forward slash, hash, colon, and
// space"; but the metric filters count into it, and PutMetricFilter's metricTransformation.metricNamespace is
// `[^:*$]*`, at most 255 (botocore logs/2014-03-28 service-2.json, shape MetricNamespace): no colon.
const METRIC_NAMESPACE = /^[A-Za-z0-9._\-/# ]{1,255}$/;
// PutMetricData: Namespace, 1 to 255 characters.
const METRIC_NAMESPACE_MAX_LENGTH = 255;
// Printable ASCII, 1 to 255 (PutMetricAlarm MetricName), without PutMetricFilter's `:`, `*` and `$`
// (botocore logs/2014-03-28 service-2.json, shape MetricName: pattern `[^:*$]*`, max 255).
const METRIC_NAME = /^[\x20-\x7e]{1,255}$/;
const METRIC_FILTER_FORBIDDEN = /[:*$]/;

/** The alert emails, each once, with whether it receives pages only. */
export function parseEmails(value: string): readonly { readonly address: string; readonly criticalOnly: boolean }[] {
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

/** The metric namespace, followed by `/<environment>`. */
export function parseMetricNamespace(value: string, environment: string): string {
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

/** A CloudWatch metric name. */
export function parseMetricName(value: string): string {
  if (!METRIC_NAME.test(value)) {
    throw new ConfigurationError("LOG_MONITOR_METRIC_NAME", value, "is not a valid CloudWatch metric name: use 1 to 255 printable ASCII characters");
  }
  if (METRIC_FILTER_FORBIDDEN.test(value)) {
    throw new ConfigurationError("LOG_MONITOR_METRIC_NAME", value, "has a character metric filters refuse (PutMetricFilter allows no : * or $ in a metric name)");
  }
  return value;
}

/** Budgets notifies at most 10 email subscribers per notification (AWS Budgets quotas: "Notifications"). */
const BUDGET_EMAIL_SUBSCRIBERS_MAX = 10;

/** The monthly budget in US dollars, `undefined` when unset; Budgets must be able to notify every alert email. */
export function parseBudget(value: string | undefined, emailCount: number): number | undefined {
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
