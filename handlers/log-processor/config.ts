/**
 * The log processor's configuration, read once from the environment at cold start.
 */
export interface ProcessorConfig {
  /** The DynamoDB table incidents are written to (`INCIDENTS_TABLE_NAME`). */
  readonly tableName: string;
  /** Days an incident is kept before DynamoDB's TTL deletes it (`INCIDENT_TTL_DAYS`). */
  readonly ttlDays: number;
  /** Real-time alerts to the alert topic (`REALTIME_ALERTS` and the variables it requires). */
  readonly realtimeAlerts: RealtimeAlertsConfig;
  /** Time budgets of the AWS calls and of the invocation. */
  readonly timeouts: TimeoutsConfig;
  /**
   * Namespace and environment of the delivery metrics written in embedded metric format (`METRICS_NAMESPACE` and
   * `ENVIRONMENT_NAME`, both or neither). @default none: no metric lines (failure records are written anyway)
   */
  readonly metrics?: { readonly namespace: string; readonly environment: string };
}

/** How long each AWS call may take; every budget stays well under the function's 60 s timeout. */
export interface TimeoutsConfig {
  /** Longest wait for a DynamoDB connection and for one DynamoDB request, in ms (`DYNAMODB_TIMEOUT_MS`). */
  readonly dynamoDbTimeoutMs: number;
  /** Longest wait for an SNS connection and for one Publish request, in ms (`SNS_TIMEOUT_MS`). */
  readonly snsTimeoutMs: number;
  /** Attempts the SDK makes per call, the first included (fixed, not configurable). */
  readonly sdkMaxAttempts: number;
}

/** Whether, and where, the processor publishes real-time alerts. */
export type RealtimeAlertsConfig =
  | {
      /** `REALTIME_ALERTS=false`: no alert is published and the suppression table is not touched. */
      readonly enabled: false;
    }
  | {
      /** `REALTIME_ALERTS=true`, or unset with `ALERT_TOPIC_ARN` set. */
      readonly enabled: true;
      /** The SNS topic alerts are published to (`ALERT_TOPIC_ARN`). */
      readonly topicArn: string;
      /**
       * The SNS topic FATAL/CRITICAL alerts are published to as well (`CRITICAL_TOPIC_ARN`), for subscribers that
       * want pages only. @default none: pages go to the alert topic only
       */
      readonly criticalTopicArn?: string;
      /** The DynamoDB table holding suppression windows (`SUPPRESSION_TABLE_NAME`). */
      readonly suppressionTableName: string;
      /** Minutes one failure stays quiet after it alerted (`SUPPRESSION_MINUTES`). */
      readonly suppressionMinutes: number;
      /** The function's region (`AWS_REGION`, set by Lambda): that of the monitored log group, for console links. */
      readonly region: string;
      /** Alert messages one delivery may publish; the rest go into one digest (`MAX_ALERTS_PER_DELIVERY`). */
      readonly maxAlertsPerDelivery: number;
      /** Longest an alert lease is held, in ms; never past the invocation's deadline either (`ALERT_LEASE_MS`). */
      readonly leaseMs: number;
      /**
       * Distinct failures beyond the alert limit from which one invocation counts the rest per log group as a storm
       * (`STORM_THRESHOLD`; the stacks leave it at its default, tests lower it; realtime-alerts.ts, "Storms").
       */
      readonly stormThreshold: number;
    };

/** The variable naming the incidents table; required. */
export const TABLE_NAME_VARIABLE = "INCIDENTS_TABLE_NAME";
/** The variable setting the incidents' time to live in days; optional. */
export const TTL_DAYS_VARIABLE = "INCIDENT_TTL_DAYS";
/** Days incidents are kept when `INCIDENT_TTL_DAYS` is not set. */
export const DEFAULT_TTL_DAYS = 30;
/** The variable switching real-time alerts on or off (`true` or `false`); optional. */
export const REALTIME_ALERTS_VARIABLE = "REALTIME_ALERTS";
/** The variable naming the SNS topic real-time alerts go to; required when alerts are on. */
export const ALERT_TOPIC_ARN_VARIABLE = "ALERT_TOPIC_ARN";
/** The variable naming the SNS topic that pages (FATAL/CRITICAL alerts) also go to; optional. */
export const CRITICAL_TOPIC_ARN_VARIABLE = "CRITICAL_TOPIC_ARN";
/** The variable naming the namespace of the delivery metrics; optional, with ENVIRONMENT_NAME. */
export const METRICS_NAMESPACE_VARIABLE = "METRICS_NAMESPACE";
/** The variable naming the environment (the metrics' Environment dimension); optional, with METRICS_NAMESPACE. */
export const ENVIRONMENT_NAME_VARIABLE = "ENVIRONMENT_NAME";
/** The variable naming the alert-suppression table; required when alerts are on. */
export const SUPPRESSION_TABLE_VARIABLE = "SUPPRESSION_TABLE_NAME";
/** The variable setting the suppression window in minutes; optional. */
export const SUPPRESSION_MINUTES_VARIABLE = "SUPPRESSION_MINUTES";
/** Minutes a failure stays quiet after alerting when `SUPPRESSION_MINUTES` is not set. */
export const DEFAULT_SUPPRESSION_MINUTES = 15;
/** The variable capping alert messages per delivery; optional. */
export const MAX_ALERTS_VARIABLE = "MAX_ALERTS_PER_DELIVERY";
/** Alert messages per delivery when `MAX_ALERTS_PER_DELIVERY` is not set. */
export const DEFAULT_MAX_ALERTS_PER_DELIVERY = 10;
/** The variable setting the storm threshold (distinct failures beyond the alert limit); optional. */
export const STORM_THRESHOLD_VARIABLE = "STORM_THRESHOLD";
/** The storm threshold when `STORM_THRESHOLD` is not set. */
export const DEFAULT_STORM_THRESHOLD = 100;
/** The variable setting the longest alert lease in milliseconds; optional. */
export const LEASE_MS_VARIABLE = "ALERT_LEASE_MS";
/** Longest alert lease when `ALERT_LEASE_MS` is not set: the function's timeout (the deadline cuts it anyway). */
export const DEFAULT_LEASE_MS = 60_000;
/** The variable setting the DynamoDB connection and request timeouts in milliseconds; optional. */
export const DYNAMODB_TIMEOUT_VARIABLE = "DYNAMODB_TIMEOUT_MS";
/** DynamoDB timeouts when not set: DynamoDB answers in milliseconds; 2 s is a stuck connection. */
export const DEFAULT_DYNAMODB_TIMEOUT_MS = 2_000;
/** The variable setting the SNS connection and request timeouts in milliseconds; optional. */
export const SNS_TIMEOUT_VARIABLE = "SNS_TIMEOUT_MS";
/** SNS timeouts when not set. */
export const DEFAULT_SNS_TIMEOUT_MS = 5_000;
/** Attempts per AWS call: the SDK's standard retry mode default. */
export const SDK_MAX_ATTEMPTS = 3;
/** The variable Lambda sets to the function's region; required when alerts are on. */
export const REGION_VARIABLE = "AWS_REGION";

// Standard, China and GovCloud partitions; topic names are 1-256 letters, digits, hyphens and underscores. A FIFO
// topic (`.fifo`) is refused: publishing to one needs a message group id, which alerts do not have. An ARN of
// another service here is a wiring mistake worth failing the cold start for.
const SNS_TOPIC_ARN = /^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/**
 * The function's environment is wrong. Names the variable and says what it must hold, so the fix is obvious
 * from the Lambda init error alone.
 */
export class ConfigurationError extends Error {
  /** The environment variable at fault. */
  public readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = "ConfigurationError";
    this.variable = variable;
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Parses the processor's environment.
 *
 * @param env the environment, normally `process.env`.
 * @throws ConfigurationError naming the variable when `INCIDENTS_TABLE_NAME` is missing or empty,
 *   `INCIDENT_TTL_DAYS` or `SUPPRESSION_MINUTES` is set to anything but a positive integer, `REALTIME_ALERTS`
 *   is neither `true` nor `false`, or alerts are on and `ALERT_TOPIC_ARN` (an SNS topic ARN),
 *   `SUPPRESSION_TABLE_NAME` or `AWS_REGION` is missing.
 */
export function readProcessorConfig(env: Environment): ProcessorConfig {
  const tableName = env[TABLE_NAME_VARIABLE]?.trim();
  if (tableName === undefined || tableName === "") {
    throw new ConfigurationError(
      TABLE_NAME_VARIABLE,
      "not set; it must name the DynamoDB table incidents are written to",
    );
  }
  const ttlDays = positiveInteger(env, TTL_DAYS_VARIABLE, DEFAULT_TTL_DAYS, "days");
  const timeouts: TimeoutsConfig = {
    dynamoDbTimeoutMs: positiveInteger(env, DYNAMODB_TIMEOUT_VARIABLE, DEFAULT_DYNAMODB_TIMEOUT_MS, "milliseconds"),
    snsTimeoutMs: positiveInteger(env, SNS_TIMEOUT_VARIABLE, DEFAULT_SNS_TIMEOUT_MS, "milliseconds"),
    sdkMaxAttempts: SDK_MAX_ATTEMPTS,
  };
  const namespace = env[METRICS_NAMESPACE_VARIABLE]?.trim() ?? "";
  const environment = env[ENVIRONMENT_NAME_VARIABLE]?.trim() ?? "";
  if ((namespace === "") !== (environment === "")) {
    const missing = namespace === "" ? METRICS_NAMESPACE_VARIABLE : ENVIRONMENT_NAME_VARIABLE;
    throw new ConfigurationError(missing, `not set; delivery metrics need both ${METRICS_NAMESPACE_VARIABLE} and ${ENVIRONMENT_NAME_VARIABLE}`);
  }
  return {
    tableName,
    ttlDays,
    realtimeAlerts: readRealtimeAlertsConfig(env),
    timeouts,
    ...(namespace === "" ? {} : { metrics: { namespace, environment } }),
  };
}

function readRealtimeAlertsConfig(env: Environment): RealtimeAlertsConfig {
  const raw = env[REALTIME_ALERTS_VARIABLE]?.trim() ?? "";
  if (raw === "false") return { enabled: false };
  if (raw !== "" && raw !== "true") {
    throw new ConfigurationError(
      REALTIME_ALERTS_VARIABLE,
      `${JSON.stringify(env[REALTIME_ALERTS_VARIABLE])} is not true or false`,
    );
  }
  // Unset, alerts follow the topic: the function still runs with INCIDENTS_TABLE_NAME alone (the processor's
  // original contract). The stack always sets REALTIME_ALERTS, so a deployed function never guesses.
  if (raw === "" && (env[ALERT_TOPIC_ARN_VARIABLE]?.trim() ?? "") === "") return { enabled: false };

  const topicArn = required(
    env,
    ALERT_TOPIC_ARN_VARIABLE,
    "it must hold the ARN of the SNS topic real-time alerts are published to",
  );
  if (!SNS_TOPIC_ARN.test(topicArn)) {
    throw new ConfigurationError(
      ALERT_TOPIC_ARN_VARIABLE,
      `${JSON.stringify(topicArn)} is not the ARN of a standard SNS topic (arn:aws:sns:<region>:<account>:<topic>)`,
    );
  }
  const criticalTopicArn = env[CRITICAL_TOPIC_ARN_VARIABLE]?.trim() ?? "";
  if (criticalTopicArn !== "" && !SNS_TOPIC_ARN.test(criticalTopicArn)) {
    throw new ConfigurationError(
      CRITICAL_TOPIC_ARN_VARIABLE,
      `${JSON.stringify(criticalTopicArn)} is not the ARN of a standard SNS topic (arn:aws:sns:<region>:<account>:<topic>)`,
    );
  }
  return {
    enabled: true,
    topicArn,
    ...(criticalTopicArn === "" ? {} : { criticalTopicArn }),
    suppressionTableName: required(
      env,
      SUPPRESSION_TABLE_VARIABLE,
      "it must name the DynamoDB table that suppresses repeated alerts",
    ),
    suppressionMinutes: positiveInteger(env, SUPPRESSION_MINUTES_VARIABLE, DEFAULT_SUPPRESSION_MINUTES, "minutes"),
    region: required(env, REGION_VARIABLE, "it must name the function's region, for the console links in alerts"),
    maxAlertsPerDelivery: positiveInteger(env, MAX_ALERTS_VARIABLE, DEFAULT_MAX_ALERTS_PER_DELIVERY, "alerts"),
    leaseMs: positiveInteger(env, LEASE_MS_VARIABLE, DEFAULT_LEASE_MS, "milliseconds"),
    stormThreshold: positiveInteger(env, STORM_THRESHOLD_VARIABLE, DEFAULT_STORM_THRESHOLD, "failures"),
  };
}

function required(env: Environment, variable: string, purpose: string): string {
  const value = env[variable]?.trim();
  if (value === undefined || value === "") {
    throw new ConfigurationError(variable, `not set; ${purpose} (or set REALTIME_ALERTS=false)`);
  }
  return value;
}

function positiveInteger(env: Environment, variable: string, defaultValue: number, unit: string): number {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === "") return defaultValue;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigurationError(variable, `${JSON.stringify(raw)} is not a positive integer number of ${unit}`);
  }
  return value;
}
