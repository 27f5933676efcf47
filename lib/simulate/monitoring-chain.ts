/**
 * The monitoring chain of one log group, read from the synthesized stacks: the function that writes to the group,
 * the metric filters on the group and the alarms on their metric, the subscription filters on the group and the
 * function they deliver to, with the tables and topics those need. Every parameter the simulation uses comes from
 * here, so it simulates what would be deployed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { LambdaLogFormat } from "../../handlers/test-emitter/lambda-log-format";
import { FilterPatternError, parseFilterPattern } from "../filter-pattern";
import {
  AlarmRule,
  COMPARISON_OPERATORS,
  ComparisonOperator,
  Statistic,
  STATISTICS,
  TREAT_MISSING_DATA,
  TreatMissingData,
} from "./alarm-evaluation";
import { SYSTEM_LOG_LEVELS, SystemLogLevel } from "./lambda-platform-lines";
import type { MetricTransformation } from "./metric-filters";
import type { JsonObject, SynthesizedApp } from "./synthesized-app";
import {
  blockOf,
  isJsonObject,
  referencedResource,
  resolveArgument,
  resolveString,
  resourceAt,
  ResourceRef,
  resourcesOfType,
  SIMULATED_ACCOUNT_ID,
  stackRegion,
  UnresolvableReferenceError,
} from "./terraform-references";

/** The links of the chain, in the order an error event travels them. */
export const CHAIN_LINKS = [
  "synthesis",
  "test emitter",
  "metric filter",
  "alarm",
  "subscription filter",
  "log processor",
  "real-time alerts",
] as const;
/** One link of the chain. */
export type ChainLink = (typeof CHAIN_LINKS)[number];

/** The synthesized configuration does not form a chain the simulation can run; names the link. */
export class ChainDefinitionError extends Error {
  constructor(
    /** The link that is missing or cannot be simulated. */
    readonly link: ChainLink,
    message: string,
  ) {
    super(message);
    this.name = "ChainDefinitionError";
  }
}

/** A Lambda function as deployed, with its bundle. */
export interface LambdaFunctionDefinition {
  /** `<stack>/aws_lambda_function.<name>`. */
  readonly address: string;
  readonly functionName: string;
  /** The region of its stack. */
  readonly region: string;
  /** Absolute path of the bundle folder that `archive_file` zips (the function's code as deployed). */
  readonly bundleDirectory: string;
  /** Absolute path of the handler's module file (`index.js` for `index.handler`). */
  readonly handlerFile: string;
  /** The handler's export name (`handler`). */
  readonly handlerExport: string;
  /** `runtime` (`nodejs24.x`). */
  readonly runtime: string;
  readonly memorySizeMb: number;
  readonly timeoutSeconds: number;
  /** `logging_config.log_format`: JSON or (the default) text. */
  readonly logFormat: LambdaLogFormat;
  /** `logging_config.application_log_level` (JSON format only). @default none: every line is kept */
  readonly applicationLogLevel?: string;
  /** `logging_config.system_log_level` (JSON format only). @default "INFO" */
  readonly systemLogLevel?: SystemLogLevel;
  /** The log group it writes to: `logging_config.log_group`, or `/aws/lambda/<function name>`. */
  readonly logGroupName: string;
  /** `environment.variables`, every reference resolved. */
  readonly environment: Readonly<Record<string, string>>;
  /** The DynamoDB tables its environment names, which it needs to run. */
  readonly tables: readonly TableDefinition[];
}

/** A DynamoDB table as deployed. */
export interface TableDefinition {
  readonly address: string;
  readonly name: string;
  readonly hashKey: string;
  readonly rangeKey?: string;
  /** `attribute` blocks: name and type (S, N or B). */
  readonly attributes: readonly { readonly name: string; readonly type: string }[];
  readonly globalSecondaryIndexes: readonly {
    readonly name: string;
    readonly hashKey: string;
    readonly rangeKey?: string;
    readonly projectionType: string;
    readonly nonKeyAttributes?: readonly string[];
  }[];
}

/** A metric filter as deployed. */
export interface MetricFilterDefinition {
  readonly address: string;
  readonly name: string;
  readonly logGroupName: string;
  readonly pattern: string;
  readonly metric: MetricTransformation;
}

/** A metric alarm as deployed. */
export interface AlarmDefinition extends AlarmRule {
  readonly address: string;
  readonly alarmName: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly statistic: Statistic;
  readonly periodSeconds: number;
  /** `actions_enabled` (true unless set to false). */
  readonly actionsEnabled: boolean;
  /** ARNs notified on a transition to ALARM, OK and INSUFFICIENT_DATA. */
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
}

/**
 * The Kinesis transport (`LOG_MONITOR_TRANSPORT=kinesis`) between a subscription filter and its function: the
 * stream the filter delivers to, and the event source mapping that reads it into the function.
 */
export interface KinesisTransportDefinition {
  /** The stream's address (`processing/aws_kinesis_stream.log-stream`). */
  readonly streamAddress: string;
  readonly streamName: string;
  /** The event source mapping's address. */
  readonly mappingAddress: string;
  /** Records per invocation (`batch_size`; Lambda's default for Kinesis, 100, when unset). */
  readonly batchSize: number;
}

/** A subscription filter as deployed, with the function it delivers to (directly, or through a Kinesis stream). */
export interface SubscriptionFilterDefinition {
  readonly address: string;
  readonly name: string;
  readonly logGroupName: string;
  readonly pattern: string;
  readonly destination: LambdaFunctionDefinition;
  /** Set when the filter delivers to a Kinesis stream that an event source mapping reads into `destination`. */
  readonly kinesis?: KinesisTransportDefinition;
}

/** An SNS topic an alarm notifies, with its subscriptions. */
export interface TopicDefinition {
  readonly address: string;
  readonly arn: string;
  readonly subscriptions: readonly { readonly protocol: string; readonly endpoint: string }[];
}

/** Everything the simulation runs, as deployed. */
export interface MonitoringChain {
  readonly region: string;
  /** The account every ARN is in ({@link SIMULATED_ACCOUNT_ID}). */
  readonly accountId: string;
  /** The function whose log group is monitored (the test emitter). */
  readonly emitter: LambdaFunctionDefinition;
  /** The monitored log group. */
  readonly logGroupName: string;
  /** Every metric filter on the group. */
  readonly metricFilters: readonly MetricFilterDefinition[];
  /** Every alarm on a metric those filters publish to. */
  readonly alarms: readonly AlarmDefinition[];
  /** Every subscription filter on the group. */
  readonly subscriptionFilters: readonly SubscriptionFilterDefinition[];
  /** The topics the alarms notify, by ARN. */
  readonly topics: Readonly<Record<string, TopicDefinition>>;
}

/** Where the monitored function is: its stack and resource name. @default alerting / test-emitter */
export interface EmitterLocation {
  readonly stackId: string;
  readonly name: string;
}

/**
 * Reads the chain around the emitter's log group from a synthesized app.
 *
 * @throws ChainDefinitionError naming the link that is missing or cannot be simulated.
 */
export function readMonitoringChain(app: SynthesizedApp, emitterAt: EmitterLocation = { stackId: "alerting", name: "test-emitter" }): MonitoringChain {
  const emitterResource = resourceAt(app, emitterAt.stackId, "aws_lambda_function", emitterAt.name);
  if (emitterResource === undefined) {
    throw new ChainDefinitionError("test emitter", `stack ${emitterAt.stackId} has no aws_lambda_function.${emitterAt.name}`);
  }
  const emitter = guarded("test emitter", () => readFunction(app, emitterResource));
  const logGroupName = emitter.logGroupName;
  const onGroup = (resource: ResourceRef, link: ChainLink): boolean =>
    guarded(link, () => resolveArgument(app, resource, "log_group_name")) === logGroupName;

  const metricFilters = resourcesOfType(app, "aws_cloudwatch_log_metric_filter")
    .filter((resource) => onGroup(resource, "metric filter"))
    .map((resource) => guarded("metric filter", () => readMetricFilter(app, resource, logGroupName)));
  if (metricFilters.length === 0) throw new ChainDefinitionError("metric filter", `no metric filter counts events of ${logGroupName}`);

  const published = new Set(metricFilters.map((filter) => metricIdentity(filter.metric.namespace, filter.metric.name, filter.metric.dimensions)));
  const alarms = resourcesOfType(app, "aws_cloudwatch_metric_alarm")
    .filter((resource) => {
      const namespace = resource.config.namespace;
      const metricName = resource.config.metric_name;
      return typeof namespace === "string" && typeof metricName === "string" && published.has(metricIdentity(namespace, metricName, stringRecord(resource.config.dimensions)));
    })
    .map((resource) => guarded("alarm", () => readAlarm(app, resource)));
  if (alarms.length === 0) {
    throw new ChainDefinitionError("alarm", `no alarm watches the metric the filters on ${logGroupName} publish (${[...published].join(", ")})`);
  }

  const subscriptionFilters = resourcesOfType(app, "aws_cloudwatch_log_subscription_filter")
    .filter((resource) => onGroup(resource, "subscription filter"))
    .map((resource) => readSubscriptionFilter(app, resource, logGroupName));
  if (subscriptionFilters.length === 0) {
    throw new ChainDefinitionError("subscription filter", `no subscription filter streams events of ${logGroupName}`);
  }

  const topics: Record<string, TopicDefinition> = {};
  for (const topic of resourcesOfType(app, "aws_sns_topic")) {
    const arn = guarded("alarm", () => resolveString(app, topic.stackId, `\${aws_sns_topic.${topic.name}.arn}`, topic.address));
    topics[arn] = { address: topic.address, arn, subscriptions: [] };
  }
  for (const subscription of resourcesOfType(app, "aws_sns_topic_subscription")) {
    const arn = guarded("alarm", () => resolveArgument(app, subscription, "topic_arn"));
    const topic = topics[arn];
    if (topic === undefined) continue;
    topics[arn] = {
      ...topic,
      subscriptions: [...topic.subscriptions, { protocol: String(subscription.config.protocol), endpoint: guarded("alarm", () => resolveArgument(app, subscription, "endpoint")) }],
    };
  }
  const notified = new Set(alarms.flatMap((alarm) => [...alarm.alarmActions, ...alarm.okActions, ...alarm.insufficientDataActions]));
  for (const arn of Object.keys(topics)) if (!notified.has(arn)) delete topics[arn];

  return {
    region: emitter.region,
    accountId: SIMULATED_ACCOUNT_ID,
    emitter,
    logGroupName,
    metricFilters,
    alarms,
    subscriptionFilters,
    topics,
  };
}

/** Runs `read`, turning an unresolvable reference or a malformed argument into a ChainDefinitionError for `link`. */
function guarded<T>(link: ChainLink, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ChainDefinitionError) throw error;
    if (error instanceof UnresolvableReferenceError || error instanceof Error) throw new ChainDefinitionError(link, error.message);
    throw error;
  }
}

function metricIdentity(namespace: string, name: string, dimensions: Readonly<Record<string, string>> | undefined): string {
  const dims = Object.entries(dimensions ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
  return `${namespace}/${name}${dims === "" ? "" : `{${dims}}`}`;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isJsonObject(value)) return undefined;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, String(inner)]));
}

function requiredString(resource: ResourceRef, argument: string): string {
  const value = resource.config[argument];
  if (typeof value !== "string" || value === "") throw new Error(`${resource.address} has no ${argument}`);
  return value;
}

function requiredNumber(resource: ResourceRef, argument: string): number {
  const value = resource.config[argument];
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(number)) throw new Error(`${resource.address} has no numeric ${argument} (got ${JSON.stringify(value)})`);
  return number;
}

function stringList(app: SynthesizedApp, resource: ResourceRef, argument: string): string[] {
  const value = resource.config[argument];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${resource.address} ${argument} is not a list`);
  return value.map((item) => resolveString(app, resource.stackId, String(item), `${resource.address} ${argument}`));
}

function oneOf<T extends string>(resource: ResourceRef, argument: string, allowed: readonly T[], fallback?: T): T {
  const value = resource.config[argument] ?? fallback;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new Error(`${resource.address} ${argument} is ${JSON.stringify(value)}; the simulation supports ${allowed.join(", ")}`);
  }
  return value as T;
}

function readFunction(app: SynthesizedApp, resource: ResourceRef): LambdaFunctionDefinition {
  const functionName = resolveArgument(app, resource, "function_name");
  const runtime = requiredString(resource, "runtime");
  if (!runtime.startsWith("nodejs")) throw new Error(`${resource.address} runs ${runtime}; the simulation runs Node.js functions only`);

  // The code is the folder archive_file zips, relative to the stack's working directory.
  const archive = referencedArchive(app, resource);
  const sourceDir = archive.config.source_dir;
  if (typeof sourceDir !== "string") throw new Error(`${archive.address} has no source_dir (only directory archives are supported)`);
  const stack = app.stacks[resource.stackId];
  if (stack === undefined) throw new Error(`no stack ${resource.stackId}`);
  const bundleDirectory = path.resolve(stack.directory, sourceDir);
  const handler = requiredString(resource, "handler");
  const dot = handler.lastIndexOf(".");
  if (dot <= 0) throw new Error(`${resource.address} handler ${JSON.stringify(handler)} is not <file>.<export>`);
  const handlerFile = ["js", "cjs"].map((extension) => path.join(bundleDirectory, `${handler.slice(0, dot)}.${extension}`)).find((file) => fs.existsSync(file));
  if (handlerFile === undefined) throw new Error(`${resource.address}: the bundle ${bundleDirectory} has no ${handler.slice(0, dot)}.js`);

  const logging = blockOf(resource.config.logging_config);
  const logFormat = logging?.log_format === "JSON" ? "json" : "text";
  const logGroup = logging?.log_group;
  const logGroupName =
    typeof logGroup === "string" ? resolveString(app, resource.stackId, logGroup, `${resource.address} logging_config.log_group`) : `/aws/lambda/${functionName}`;
  const systemLogLevel = logging?.system_log_level;
  if (systemLogLevel !== undefined && !(SYSTEM_LOG_LEVELS as readonly unknown[]).includes(systemLogLevel)) {
    throw new Error(`${resource.address} logging_config.system_log_level is ${JSON.stringify(systemLogLevel)}`);
  }
  const applicationLogLevel = logging?.application_log_level;

  const variables = blockOf(blockOf(resource.config.environment)?.variables) ?? {};
  const environment: Record<string, string> = {};
  const tables: TableDefinition[] = [];
  for (const [name, value] of Object.entries(variables)) {
    environment[name] = resolveString(app, resource.stackId, String(value), `${resource.address} environment variable ${name}`);
    const target = referencedResource(app, resource.stackId, value);
    if (target?.resource.type === "aws_dynamodb_table" && !tables.some((table) => table.address === target.resource.address)) {
      tables.push(readTable(app, target.resource));
    }
  }

  return {
    address: resource.address,
    functionName,
    region: stackRegion(app, resource.stackId),
    bundleDirectory,
    handlerFile,
    handlerExport: handler.slice(dot + 1),
    runtime,
    memorySizeMb: resource.config.memory_size === undefined ? 128 : requiredNumber(resource, "memory_size"),
    timeoutSeconds: resource.config.timeout === undefined ? 3 : requiredNumber(resource, "timeout"),
    logFormat,
    ...(logFormat === "json" && typeof applicationLogLevel === "string" ? { applicationLogLevel } : {}),
    ...(logFormat === "json" && typeof systemLogLevel === "string" ? { systemLogLevel: systemLogLevel as SystemLogLevel } : {}),
    logGroupName,
    environment,
    tables,
  };
}

function referencedArchive(app: SynthesizedApp, resource: ResourceRef): { readonly address: string; readonly config: JsonObject } {
  const filename = requiredString(resource, "filename");
  const match = /^\$\{data\.archive_file\.([^.}]+)\.output_path\}$/.exec(filename);
  const name = match?.[1];
  const config = name === undefined ? undefined : blockOf(blockOf(blockOf(app.stacks[resource.stackId]?.json.data)?.archive_file)?.[name]);
  if (name === undefined || config === undefined) {
    throw new Error(`${resource.address} filename ${JSON.stringify(filename)} is not an archive_file of its stack`);
  }
  return { address: `${resource.stackId}/data.archive_file.${name}`, config };
}

function readTable(app: SynthesizedApp, resource: ResourceRef): TableDefinition {
  const attributes = (Array.isArray(resource.config.attribute) ? resource.config.attribute : [resource.config.attribute])
    .filter(isJsonObject)
    .map((attribute) => ({ name: String(attribute.name), type: String(attribute.type) }));
  const indexes = Array.isArray(resource.config.global_secondary_index) ? resource.config.global_secondary_index.filter(isJsonObject) : [];
  if (resource.config.local_secondary_index !== undefined) throw new Error(`${resource.address} has local secondary indexes, which the simulation does not create`);
  const rangeKey = resource.config.range_key;
  return {
    address: resource.address,
    name: resolveArgument(app, resource, "name"),
    hashKey: requiredString(resource, "hash_key"),
    ...(typeof rangeKey === "string" ? { rangeKey } : {}),
    attributes,
    globalSecondaryIndexes: indexes.map((index) => ({
      name: String(index.name),
      hashKey: String(index.hash_key),
      ...(typeof index.range_key === "string" ? { rangeKey: index.range_key } : {}),
      projectionType: typeof index.projection_type === "string" ? index.projection_type : "ALL",
      ...(Array.isArray(index.non_key_attributes) ? { nonKeyAttributes: index.non_key_attributes.map(String) } : {}),
    })),
  };
}

/** Checks a pattern as CloudWatch Logs does when the filter is created. */
function checkedPattern(resource: ResourceRef, argument: string, pattern: string): string {
  try {
    parseFilterPattern(pattern);
  } catch (error) {
    if (error instanceof FilterPatternError) throw new Error(`${resource.address} ${argument} would be rejected by CloudWatch Logs: ${error.message}`);
    throw error;
  }
  return pattern;
}

function readMetricFilter(app: SynthesizedApp, resource: ResourceRef, logGroupName: string): MetricFilterDefinition {
  const transformation = blockOf(resource.config.metric_transformation);
  if (transformation === undefined) throw new Error(`${resource.address} has no metric_transformation`);
  const pattern = resource.config.pattern;
  if (typeof pattern !== "string") throw new Error(`${resource.address} has no pattern`);
  checkedPattern(resource, "pattern", pattern);
  // The metric value is checked too: a number or a field reference (throws MetricValueSpecError otherwise).
  parseFilterPattern(pattern).metricValue("", String(transformation.value));
  const defaultValue = transformation.default_value;
  const dimensions = stringRecord(transformation.dimensions);
  return {
    address: resource.address,
    name: resolveArgument(app, resource, "name"),
    logGroupName,
    pattern,
    metric: {
      namespace: String(transformation.namespace),
      name: String(transformation.name),
      value: String(transformation.value),
      ...(defaultValue === undefined || defaultValue === null || defaultValue === "" ? {} : { defaultValue: Number(defaultValue) }),
      ...(dimensions === undefined || Object.keys(dimensions).length === 0 ? {} : { dimensions }),
    },
  };
}

function readAlarm(app: SynthesizedApp, resource: ResourceRef): AlarmDefinition {
  if (resource.config.extended_statistic !== undefined || resource.config.metric_query !== undefined || resource.config.threshold_metric_id !== undefined) {
    throw new Error(`${resource.address} uses an extended statistic, metric math or an anomaly band, which the simulation does not evaluate`);
  }
  const evaluationPeriods = requiredNumber(resource, "evaluation_periods");
  const dimensions = stringRecord(resource.config.dimensions);
  return {
    address: resource.address,
    alarmName: resolveArgument(app, resource, "alarm_name"),
    namespace: requiredString(resource, "namespace"),
    metricName: requiredString(resource, "metric_name"),
    ...(dimensions === undefined ? {} : { dimensions }),
    statistic: oneOf<Statistic>(resource, "statistic", STATISTICS),
    periodSeconds: requiredNumber(resource, "period"),
    threshold: requiredNumber(resource, "threshold"),
    comparisonOperator: oneOf<ComparisonOperator>(resource, "comparison_operator", COMPARISON_OPERATORS),
    evaluationPeriods,
    datapointsToAlarm: resource.config.datapoints_to_alarm === undefined ? evaluationPeriods : requiredNumber(resource, "datapoints_to_alarm"),
    treatMissingData: oneOf<TreatMissingData>(resource, "treat_missing_data", TREAT_MISSING_DATA, "missing"),
    actionsEnabled: resource.config.actions_enabled !== false,
    alarmActions: stringList(app, resource, "alarm_actions"),
    okActions: stringList(app, resource, "ok_actions"),
    insufficientDataActions: stringList(app, resource, "insufficient_data_actions"),
  };
}

function readSubscriptionFilter(app: SynthesizedApp, resource: ResourceRef, logGroupName: string): SubscriptionFilterDefinition {
  const target = referencedResource(app, resource.stackId, resource.config.destination_arn);
  const kinesis = target?.resource.type === "aws_kinesis_stream" && target.attribute === "arn" ? readKinesisTransport(app, resource, target.resource) : undefined;
  const fn = kinesis?.fn ?? target?.resource;
  if (fn === undefined || fn.type !== "aws_lambda_function" || (kinesis === undefined && target?.attribute !== "arn")) {
    throw new ChainDefinitionError(
      "subscription filter",
      `${resource.address} delivers to ${JSON.stringify(resource.config.destination_arn)}, neither a Lambda function of the app nor a Kinesis stream an event source mapping reads into one`,
    );
  }
  const pattern = resource.config.filter_pattern;
  return {
    address: resource.address,
    name: guarded("subscription filter", () => resolveArgument(app, resource, "name")),
    logGroupName,
    pattern: typeof pattern === "string" ? guarded("subscription filter", () => checkedPattern(resource, "filter_pattern", pattern)) : "",
    destination: guarded("log processor", () => readFunction(app, fn)),
    ...(kinesis === undefined ? {} : { kinesis: kinesis.transport }),
  };
}

/** The event source mapping that reads `stream` into a function, and the function, for the Kinesis transport. */
function readKinesisTransport(
  app: SynthesizedApp,
  filter: ResourceRef,
  stream: ResourceRef,
): { readonly fn: ResourceRef; readonly transport: KinesisTransportDefinition } {
  const mappings = resourcesOfType(app, "aws_lambda_event_source_mapping").filter(
    (mapping) => referencedResource(app, mapping.stackId, mapping.config.event_source_arn)?.resource.address === stream.address,
  );
  const mapping = mappings[0];
  if (mapping === undefined) {
    throw new ChainDefinitionError("subscription filter", `${filter.address} delivers to ${stream.address}, which no event source mapping reads into a function`);
  }
  const fn = referencedResource(app, mapping.stackId, mapping.config.function_name)?.resource;
  if (fn === undefined || fn.type !== "aws_lambda_function") {
    throw new ChainDefinitionError("log processor", `${mapping.address} reads ${stream.address} into ${JSON.stringify(mapping.config.function_name)}, not a Lambda function of the app`);
  }
  const batchSize = mapping.config.batch_size;
  return {
    fn,
    transport: {
      streamAddress: stream.address,
      streamName: guarded("subscription filter", () => resolveArgument(app, stream, "name")),
      mappingAddress: mapping.address,
      batchSize: typeof batchSize === "number" ? batchSize : 100,
    },
  };
}
