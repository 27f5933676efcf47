/**
 * Runs the real monitoring chain on this machine with nothing deployed:
 *
 * 1. synthesizes the app as `cdktf synth` does and reads the chain of the test emitter's log group from it;
 * 2. runs the emitter's bundle (as synthesized) over simulated minutes and turns what it logs into the log events
 *    Lambda would write, in the function's log format;
 * 3. applies the metric filters and evaluates every alarm on their metric, minute by minute, with the
 *    notifications its actions would send;
 * 4. applies the subscription filters, packs what they pass into real subscription deliveries, and invokes the
 *    processor's bundle with them, against dynalite (tables created from their synthesized definitions) and a
 *    local SNS that records the real-time alerts it publishes;
 * 5. checks every link and reports.
 *
 * Nothing reaches AWS: the functions get fake credentials, and every AWS endpoint they could use points at a
 * local server.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { INCIDENT_ATTRIBUTES } from "../../handlers/log-processor/incident-schema";
import type { LambdaLogLevel } from "../../handlers/test-emitter/lambda-log-format";
import { parseFilterPattern } from "../filter-pattern";
import { AlarmHistory, AlarmState, evaluationRangeLength, runAlarm } from "./alarm-evaluation";
import { ChainObservations, ChainProblem, checkChain } from "./chain-checks";
import { keepsApplicationLine, invocationLogLines } from "./invocation-log";
import { planInvocations } from "./invocation-plan";
import { LambdaSandbox, lambdaEnvironment, prepareSandboxModule, SandboxInvocation } from "./lambda-sandbox";
import { LOCAL_CREDENTIALS, scanTable, startLocalDynamoDb } from "./local-dynamodb";
import { createStream, eventSourceMappingBatches, LocalKinesis, putRecord, readShard, startLocalKinesis } from "./local-kinesis";
import { PublishedMessage, simulatedUuid, startSimulatedAws, UnsupportedRequest } from "./simulated-aws";
import { applyMetricFilters, LogEvent, metricKey, minuteStart, periodStatistics, statisticValue } from "./metric-filters";
import {
  AlarmDefinition,
  ChainDefinitionError,
  ChainLink,
  KinesisTransportDefinition,
  LambdaFunctionDefinition,
  MonitoringChain,
  readMonitoringChain,
  SubscriptionFilterDefinition,
} from "./monitoring-chain";
import { cloudWatchEventId, controlMessage, dataMessage, packSubscriptionEvent } from "./subscription-payload";
import { SynthesisError, SynthesizedApp, synthesizeApp, SynthesizeOptions } from "./synthesized-app";
import { resolveFailure } from "../triage/triage-store";
import { failureKeyOf, FailureScope } from "../../handlers/log-processor/suppression-schema";

/** Changes a synthesized app in place, before the chain is read from it. */
export type SynthesizedAppPatch = (app: SynthesizedApp) => void;

/** What to simulate. */
export interface SimulationOptions {
  /** Emitter invocations that write an ERROR line. */
  readonly errors: number;
  /** Simulated minutes over which they are spread. */
  readonly minutes: number;
  /**
   * At this simulated minute (1 to `minutes` - 1, from the start), resolve every failure that has alerted so far, in
   * the processor's suppression table, as `npm run incidents -- resolve` would: their next occurrence alerts once as
   * REGRESSED (docs/alert-state-machine.md, "Triage"). @default no resolution
   */
  readonly resolveAfterMinutes?: number;
  /** The project folder (holding main.ts). */
  readonly projectRoot: string;
  /** The environment synthesis reads its configuration from (LOG_MONITOR_*, AWS_REGION). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Start of the first simulated minute. @default the current minute */
  readonly startMs?: number;
  /**
   * Changes the synthesized app before the chain is read from it: what would be deployed after that change is
   * then simulated. Tests break a link through it. @default no change
   */
  readonly patchSynthesizedApp?: SynthesizedAppPatch;
  /**
   * How the app is synthesized (tests pass one that synthesizes each configuration once and reads it back for each
   * run; a run may patch what it reads, never the files).
   * @default synthesizeApp: main.ts in its own process, as `cdktf synth` runs it
   */
  readonly synthesize?: (options: SynthesizeOptions) => SynthesizedApp;
  /** Receives progress messages. @default none */
  readonly progress?: (message: string) => void;
}

/** One event written to the monitored log group. */
export interface SimulatedEvent extends LogEvent {
  readonly source: "platform" | "application";
  readonly level?: LambdaLogLevel;
  /** Whether it records a failure. */
  readonly error: boolean;
  /** The emitter invocation that wrote it (index into {@link SimulationReport.invocations}). */
  readonly invocation: number;
}

/** One invocation of the emitter. */
export interface EmitterInvocationRecord {
  readonly atMs: number;
  readonly requestId: string;
  readonly event: { readonly error_count: number };
  readonly outcome: SandboxInvocation["outcome"]["kind"];
  /** For a failed invocation: what went wrong. */
  readonly failure?: string;
  readonly infoLines: number;
  readonly errorLines: number;
  readonly coldStart: boolean;
}

/** A notification an alarm transition sends. */
export interface AlarmNotification {
  readonly atMs: number;
  readonly state: AlarmState;
  /** Subject of the SNS message, as CloudWatch writes it. */
  readonly subject: string;
  /** The action ARNs, each with who it reaches. */
  readonly targets: readonly { readonly arn: string; readonly recipients: readonly string[] }[];
}

/** What one alarm did. */
export interface AlarmRecord {
  readonly alarm: AlarmDefinition;
  readonly history: AlarmHistory;
  readonly notifications: readonly AlarmNotification[];
}

/** One delivery to a processor. */
export interface DeliveryRecord {
  readonly atMs: number;
  /** The subscription filter's address. */
  readonly filter: string;
  /** The destination function's address. */
  readonly destination: string;
  readonly messageType: "DATA_MESSAGE" | "CONTROL_MESSAGE";
  readonly eventIds: readonly string[];
  /** The handler's answer, or what went wrong. */
  readonly result: { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly failure: string };
  /** Real-time alerts published while it ran. */
  readonly alertsPublished: number;
}

/** An incident as the processor wrote it. */
export interface IncidentRecord {
  readonly eventId: string;
  readonly severity: string;
  readonly fingerprint: string;
  readonly occurredAt: string;
}

/** A failure the simulation resolved (`resolveAfterMinutes`), as `npm run incidents -- resolve` would. */
export interface ResolutionRecord {
  readonly atMs: number;
  readonly fingerprint: string;
  readonly logGroup: string;
  /** The account of the failure's scope, as its alert named it. */
  readonly accountId?: string;
  /** The processor's suppression table (its SUPPRESSION_TABLE_NAME) the resolution was written to. */
  readonly tableName: string;
  /** Who resolved it (`triage_by`). */
  readonly by: string;
}

/** Who the simulation's resolutions are by (`triage_by`, and the REGRESSED alert's "resolved by"). */
export const SIMULATION_TRIAGE_ACTOR = "npm run simulate";

/** Everything a simulation did and found. */
export interface SimulationReport {
  readonly errorsRequested: number;
  readonly minutes: number;
  readonly startMs: number;
  /** End of the last simulated minute of emission. */
  readonly emissionEndMs: number;
  /** Until when the alarms were evaluated (quiet periods after the emission let them settle). */
  readonly evaluationEndMs: number;
  readonly logStreamName: string;
  readonly chain: MonitoringChain;
  readonly invocations: readonly EmitterInvocationRecord[];
  readonly events: readonly SimulatedEvent[];
  /** Per event id, the metric filters (addresses) that counted it towards an alarm's metric. */
  readonly counted: ReadonlyMap<string, readonly string[]>;
  /** The alarmed metric's Sum per minute of emission (undefined: no data point). */
  readonly errorsPerMinute: readonly { readonly minuteMs: number; readonly value: number | undefined }[];
  readonly alarms: readonly AlarmRecord[];
  /** Per event id, the subscription filters (addresses) that passed it. */
  readonly passed: ReadonlyMap<string, readonly string[]>;
  readonly deliveries: readonly DeliveryRecord[];
  readonly incidents: readonly IncidentRecord[];
  readonly alerts: readonly (PublishedMessage & { readonly atMs: number })[];
  /** When the failures that had alerted were resolved (`resolveAfterMinutes`). @default no resolution */
  readonly resolveAtMs?: number;
  /** The failures resolved at {@link resolveAtMs}, in the order they first alerted (none without it). */
  readonly resolutions: readonly ResolutionRecord[];
  /**
   * What the processor wrote for the dashboard: its failure records summed by fingerprint (the "top failures" table)
   * and its embedded-metric-format figures summed over the run.
   */
  readonly dashboard?: DashboardFigures;
  readonly realtimeAlerts: { readonly enabled: boolean; readonly implemented: boolean; readonly topicArn?: string; readonly criticalTopicArn?: string };
  readonly unsupportedCalls: readonly UnsupportedRequest[];
  readonly problems: readonly ChainProblem[];
}

/** A simulation that could not run at all: the chain is not there to simulate. Names the link. */
export class SimulationSetupError extends Error {
  constructor(
    readonly link: ChainLink,
    message: string,
  ) {
    super(message);
    this.name = "SimulationSetupError";
  }
}

const MINUTE_MS = 60_000;
/** Most minutes a simulation may cover: a day, the longest an alarm may look back. */
export const MAX_MINUTES = 1440;
/** Most error invocations of a simulation. */
export const MAX_ERRORS = 1000;

/** `YYYY/MM/DD/[$LATEST]<32 hex>`, as Lambda names a log stream. */
export function lambdaLogStreamName(startMs: number, seed: string): string {
  const date = new Date(startMs).toISOString().slice(0, 10).replace(/-/g, "/");
  return `${date}/[$LATEST]${simulatedUuid(seed, startMs).replace(/-/g, "")}`;
}

/**
 * Runs the simulation and checks the chain.
 *
 * @throws SimulationSetupError when the app does not synthesize or has no chain to simulate (names the link);
 *   RangeError for counts out of range.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationReport> {
  const { errors, minutes } = options;
  if (!Number.isSafeInteger(errors) || errors < 0 || errors > MAX_ERRORS) throw new RangeError(`errors must be a whole number from 0 to ${MAX_ERRORS}, got ${errors}`);
  if (!Number.isSafeInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES) throw new RangeError(`minutes must be a whole number from 1 to ${MAX_MINUTES}, got ${minutes}`);
  const resolveAfter = options.resolveAfterMinutes;
  if (resolveAfter !== undefined && (!Number.isSafeInteger(resolveAfter) || resolveAfter < 1 || resolveAfter >= minutes)) {
    throw new RangeError(`resolveAfterMinutes must be a whole number from 1 to ${minutes - 1} (less than minutes), got ${resolveAfter}`);
  }
  const startMs = minuteStart(options.startMs ?? Date.now());
  const progress = options.progress ?? (() => undefined);
  const cleanups: (() => Promise<void>)[] = [];
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "log-monitor-simulate-"));
  cleanups.push(async () => fs.rmSync(workDir, { recursive: true, force: true }));

  try {
    progress("synthesizing the stacks (main.ts, as cdktf synth runs it)");
    let app: SynthesizedApp;
    try {
      app = (options.synthesize ?? synthesizeApp)({ projectRoot: options.projectRoot, outdir: path.join(workDir, "cdktf.out"), env: options.env });
    } catch (error) {
      if (error instanceof SynthesisError) throw new SimulationSetupError("synthesis", error.message);
      throw error;
    }
    options.patchSynthesizedApp?.(app);
    let chain: MonitoringChain;
    try {
      chain = readMonitoringChain(app);
    } catch (error) {
      if (error instanceof ChainDefinitionError) throw new SimulationSetupError(error.link, error.message);
      throw error;
    }

    const sandboxModule = prepareSandboxModule(workDir);
    progress("starting fauxqs (SNS and SQS) behind the fault proxy");
    const sns = await startSimulatedAws(chain.region);
    cleanups.push(() => sns.stop());
    const localAws = {
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      // Every service's endpoint is the fault proxy: it passes SNS and SQS to fauxqs and records (and refuses) anything else.
      AWS_ENDPOINT_URL: sns.endpoint,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      AWS_ENDPOINT_URL_SQS: sns.endpoint,
      AWS_EC2_METADATA_DISABLED: "true",
    };

    // 2. The emitter.
    const logStreamName = lambdaLogStreamName(startMs, chain.emitter.functionName);
    progress(`running ${chain.emitter.address} (${chain.emitter.logFormat === "json" ? "JSON" : "text"} log format)`);
    const emitter = LambdaSandbox.create(chain.emitter, { ...lambdaEnvironment(chain.emitter, logStreamName), ...localAws }, chain.accountId, sandboxModule);
    cleanups.push(() => emitter.stop());
    sns.setCaller("test emitter");
    const invocations: EmitterInvocationRecord[] = [];
    const events: SimulatedEvent[] = [];
    for (const [index, planned] of planInvocations({ errors, minutes, startMs }).entries()) {
      const requestId = simulatedUuid("emitter-request", index);
      const result = await emitter.invoke(planned.event, requestId);
      const lines = invocationLogLines(chain.emitter, result, { startMs: planned.atMs, requestId });
      for (const line of lines) {
        events.push({
          id: cloudWatchEventId(line.timestampMs, events.length),
          timestamp: line.timestampMs,
          message: line.message,
          source: line.source,
          ...(line.level === undefined ? {} : { level: line.level }),
          error: line.error,
          invocation: index,
        });
      }
      const failure = describeFailure(result, emitter);
      const kept = (level: LambdaLogLevel) => result.logs.filter((captured) => captured.level === level && keepsApplicationLine(chain.emitter, level)).length;
      invocations.push({
        atMs: planned.atMs,
        requestId,
        event: planned.event,
        outcome: result.outcome.kind,
        ...(failure === undefined ? {} : { failure }),
        infoLines: kept("INFO"),
        errorLines: kept("ERROR") + kept("FATAL"),
        coldStart: result.init !== undefined,
      });
    }
    await emitter.stop();
    const emissionEndMs = startMs + minutes * MINUTE_MS;

    // 3. Metric filters and alarms.
    const alarmedMetrics = new Set(chain.alarms.map((alarm) => metricKey(alarm.namespace, alarm.metricName, alarm.dimensions)));
    const filters = chain.metricFilters.map((filter) => ({ name: filter.address, pattern: filter.pattern, metric: filter.metric }));
    const metrics = applyMetricFilters(filters, events);
    const counted = new Map<string, string[]>();
    for (const event of events) {
      const matches = metrics.matchesByEvent.get(event.id) ?? [];
      counted.set(
        event.id,
        matches
          .filter((match) => {
            const filter = filters.find((candidate) => candidate.name === match.filter);
            return filter !== undefined && alarmedMetrics.has(metricKey(filter.metric.namespace, filter.metric.name, filter.metric.dimensions));
          })
          .map((match) => match.filter),
      );
    }
    // After the last event, quiet periods until every alarm's evaluation range has left the data behind.
    const settlingMs = Math.max(...chain.alarms.map((alarm) => evaluationRangeLength(alarm) * alarm.periodSeconds * 1000));
    const evaluationEndMs = emissionEndMs + Math.ceil(settlingMs / MINUTE_MS) * MINUTE_MS;
    const alarms = chain.alarms.map((alarm): AlarmRecord => {
      const series = metrics.series.get(metricKey(alarm.namespace, alarm.metricName, alarm.dimensions));
      const history = runAlarm(
        alarm,
        (periodStartMs) => {
          const statistics = periodStatistics(series, periodStartMs, alarm.periodSeconds);
          return statistics === undefined ? undefined : statisticValue(statistics, alarm.statistic);
        },
        startMs,
        evaluationEndMs,
      );
      return { alarm, history, notifications: notificationsOf(alarm, history, chain) };
    });
    const firstSeries = metrics.series.get(metricKey(chain.alarms[0]?.namespace ?? "", chain.alarms[0]?.metricName ?? "", chain.alarms[0]?.dimensions));
    const errorsPerMinute = Array.from({ length: minutes }, (_, minute) => {
      const minuteMs = startMs + minute * MINUTE_MS;
      return { minuteMs, value: firstSeries?.get(minuteMs)?.sum };
    });

    // 4. Subscription filters and the processor.
    const passed = new Map<string, string[]>(events.map((event) => [event.id, []]));
    for (const filter of chain.subscriptionFilters) {
      const pattern = parseFilterPattern(filter.pattern);
      for (const event of events) if (pattern.matches(event.message)) passed.get(event.id)?.push(filter.address);
    }
    const destinations = uniqueBy(
      chain.subscriptionFilters.map((filter) => filter.destination),
      (fn) => fn.address,
    );
    const tables = uniqueBy(
      destinations.flatMap((fn) => fn.tables),
      (table) => table.name,
    );
    progress(`starting dynalite with ${tables.map((table) => table.name).join(", ") || "no tables"}`);
    const dynamo = await startLocalDynamoDb(tables, chain.region);
    cleanups.push(() => dynamo.stop());
    const processors = new Map<string, LambdaSandbox>();
    for (const fn of destinations) {
      const sandbox = LambdaSandbox.create(
        fn,
        { ...(await sns.localEnvironment(lambdaEnvironment(fn, lambdaLogStreamName(startMs, fn.functionName)))), ...localAws, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint },
        chain.accountId,
        sandboxModule,
      );
      cleanups.push(() => sandbox.stop());
      processors.set(fn.address, sandbox);
    }

    progress(`delivering to ${destinations.map((fn) => fn.address).join(", ")}`);
    const deliveries: DeliveryRecord[] = [];
    const alerts: (PublishedMessage & { atMs: number })[] = [];
    // The failures that alerted so far (a digest or a storm names no one failure), each with the suppression table of
    // the processor that alerted: what `resolveAfterMinutes` resolves.
    const alerted = new Map<string, { scope: FailureScope; tableName: string | undefined }>();
    const resolutions: ResolutionRecord[] = [];
    let processorRequests = 0;
    // The Kinesis transport: CloudWatch Logs puts each delivery into the stream (kinesalite, in memory) as one record,
    // and the event source mapping reads the new records into the processor in batches, in Lambda's documented event.
    let kinesis: LocalKinesis | undefined;
    const streams = new Map<string, { arn: string; consumed: number }>();
    const throughKinesis = async (transport: KinesisTransportDefinition, fn: LambdaFunctionDefinition, data: Buffer): Promise<unknown[]> => {
      if (kinesis === undefined) {
        progress("starting kinesalite (the Kinesis transport)");
        const started = await startLocalKinesis(chain.region);
        cleanups.push(() => started.stop());
        kinesis = started;
      }
      let stream = streams.get(transport.streamName);
      if (stream === undefined) {
        await createStream(kinesis, transport.streamName);
        stream = { arn: `arn:aws:kinesis:${chain.region}:${chain.accountId}:stream/${transport.streamName}`, consumed: 0 };
        streams.set(transport.streamName, stream);
      }
      await putRecord(kinesis, transport.streamName, data, logStreamName);
      const records = await readShard(kinesis, transport.streamName);
      const fresh = records.slice(stream.consumed);
      stream.consumed = records.length;
      return eventSourceMappingBatches(fresh, transport.batchSize, {
        streamArn: stream.arn,
        region: chain.region,
        shardId: "shardId-000000000000",
        roleArn: `arn:aws:iam::${chain.accountId}:role/${fn.functionName}-${chain.region}`,
      });
    };
    const deliver = async (filter: SubscriptionFilterDefinition, atMs: number, payload: Parameters<typeof packSubscriptionEvent>[0]): Promise<void> => {
      const sandbox = processors.get(filter.destination.address) as LambdaSandbox;
      sns.setCaller("log processor");
      const packed = packSubscriptionEvent(payload);
      const invocationEvents =
        filter.kinesis === undefined ? [packed] : await throughKinesis(filter.kinesis, filter.destination, Buffer.from(packed.awslogs.data, "base64"));
      let result: DeliveryRecord["result"] = { ok: true, value: undefined };
      for (const event of invocationEvents) {
        // The processor runs on the simulation's clock, so suppression windows and leases follow simulated time.
        const invocation = await sandbox.invoke(event, simulatedUuid("processor-request", processorRequests++), { clockMs: atMs });
        const failure = describeFailure(invocation, sandbox);
        const partial = filter.kinesis === undefined || invocation.outcome.kind !== "success" ? undefined : batchItemFailures(invocation.outcome.value);
        const outcome: DeliveryRecord["result"] =
          invocation.outcome.kind !== "success"
            ? { ok: false, failure: failure ?? invocation.outcome.kind }
            : partial !== undefined && partial > 0
              ? { ok: false, failure: `the processor reported ${partial} failed record(s) in batchItemFailures` }
              : { ok: true, value: invocation.outcome.value };
        if (result.ok) result = outcome;
      }
      // What the topics' subscriber received from this delivery's invocations.
      const published = await sns.collect();
      alerts.push(...published.map((message) => ({ ...message, atMs })));
      for (const message of published) {
        const fingerprint = message.attributes.fingerprint;
        const logGroup = message.attributes.log_group;
        if (fingerprint === undefined || logGroup === undefined || !/^[0-9a-f]{32}$/.test(fingerprint)) continue;
        const scope: FailureScope = { accountId: message.attributes.account_id, logGroup, fingerprint };
        const key = `${filter.destination.address} ${failureKeyOf(scope)}`;
        if (!alerted.has(key)) alerted.set(key, { scope, tableName: filter.destination.environment.SUPPRESSION_TABLE_NAME });
      }
      deliveries.push({
        atMs,
        filter: filter.address,
        destination: filter.destination.address,
        messageType: payload.messageType,
        eventIds: payload.messageType === "DATA_MESSAGE" ? payload.logEvents.map((event) => event.id) : [],
        result,
        alertsPublished: published.length,
      });
    };
    for (const filter of chain.subscriptionFilters) {
      // Creating a subscription filter makes CloudWatch Logs check that the destination is reachable.
      await deliver(filter, startMs, controlMessage(startMs));
    }
    // Resolves every failure that alerted so far, at `atMs`, as `npm run incidents -- resolve <fingerprint> --log-group
    // <group> --account <account>` would: in the suppression table of the processor that alerted (its
    // SUPPRESSION_TABLE_NAME, in dynalite), on the simulated clock.
    const resolveAlerted = async (atMs: number): Promise<void> => {
      for (const { scope, tableName } of alerted.values()) {
        if (tableName === undefined) continue;
        progress(`resolving ${scope.fingerprint} in ${scope.logGroup} (${tableName})`);
        await resolveFailure(dynamo.client, tableName, { scope, by: SIMULATION_TRIAGE_ACTOR, nowMs: atMs });
        resolutions.push({
          atMs,
          fingerprint: scope.fingerprint,
          logGroup: scope.logGroup,
          ...(scope.accountId === undefined ? {} : { accountId: scope.accountId }),
          tableName,
          by: SIMULATION_TRIAGE_ACTOR,
        });
      }
    };
    for (const [index, minute] of Array.from({ length: minutes }, (_, index) => startMs + index * MINUTE_MS).entries()) {
      // At the start of minute M: after the deliveries of minute M - 1 (made at M's start), before M's events.
      if (index === resolveAfter) await resolveAlerted(minute);
      for (const filter of chain.subscriptionFilters) {
        const batch = events.filter((event) => minuteStart(event.timestamp) === minute && passed.get(event.id)?.includes(filter.address));
        if (batch.length === 0) continue;
        const payload = dataMessage({
          owner: chain.accountId,
          logGroup: chain.logGroupName,
          logStream: logStreamName,
          subscriptionFilters: [filter.name],
          logEvents: batch.map((event) => ({ id: event.id, timestamp: event.timestamp, message: event.message })),
        });
        // CloudWatch Logs batches what arrives and delivers it shortly after; here, at the end of the minute.
        await deliver(filter, minute + MINUTE_MS, payload);
      }
    }

    // 5. What the processor recorded, and the checks.
    const incidentTables = uniqueBy(
      destinations.map((fn) => fn.environment.INCIDENTS_TABLE_NAME).filter((name): name is string => name !== undefined),
      (name) => name,
    );
    const incidents: IncidentRecord[] = [];
    for (const table of incidentTables) {
      for (const item of await scanTable(dynamo.client, table)) {
        incidents.push({
          eventId: item[INCIDENT_ATTRIBUTES.eventId]?.S ?? "",
          severity: item[INCIDENT_ATTRIBUTES.severity]?.S ?? "",
          fingerprint: item[INCIDENT_ATTRIBUTES.fingerprint]?.S ?? "",
          occurredAt: item[INCIDENT_ATTRIBUTES.occurredAt]?.S ?? "",
        });
      }
    }
    incidents.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.eventId.localeCompare(b.eventId));

    const realtimeAlerts = realtimeAlertSettings(destinations);
    const dashboard = dashboardFigures([...processors.values()].flatMap((sandbox) => sandbox.rawStdoutLines));
    const report: Omit<SimulationReport, "problems"> = {
      errorsRequested: errors,
      minutes,
      startMs,
      emissionEndMs,
      evaluationEndMs,
      logStreamName,
      chain,
      invocations,
      events,
      counted,
      errorsPerMinute,
      alarms,
      passed,
      deliveries,
      incidents,
      alerts,
      ...(resolveAfter === undefined ? {} : { resolveAtMs: startMs + resolveAfter * MINUTE_MS }),
      resolutions,
      realtimeAlerts,
      dashboard,
      unsupportedCalls: [...sns.unsupported],
    };
    return { ...report, problems: checkChain(observationsOf(report, incidentTables.length > 0)) };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

/** What the checks look at, from a report. */
export function observationsOf(report: Omit<SimulationReport, "problems">, incidentsKnown: boolean): ChainObservations {
  return {
    errorsRequested: report.invocations.reduce((sum, invocation) => sum + invocation.event.error_count, 0),
    emitterFailures: report.invocations.flatMap((invocation, index) =>
      invocation.failure === undefined ? [] : [`invocation ${index + 1} (${JSON.stringify(invocation.event)}) failed: ${invocation.failure}`],
    ),
    events: report.events.map((event) => ({ id: event.id, error: event.error, message: event.message })),
    counted: report.counted,
    alarms: report.alarms.map((record) => ({
      name: record.alarm.alarmName,
      actionsEnabled: record.alarm.actionsEnabled,
      alarmActions: record.alarm.alarmActions,
      reachedAlarm: record.history.evaluations.some((evaluation) => evaluation.state === "ALARM"),
      finalState: record.history.finalState,
    })),
    passed: report.passed,
    deliveryFailures: report.deliveries.flatMap((delivery) =>
      delivery.result.ok ? [] : [`${delivery.messageType} delivery at ${new Date(delivery.atMs).toISOString()} failed: ${delivery.result.failure}`],
    ),
    incidentEventIds: incidentsKnown ? new Set(report.incidents.map((incident) => incident.eventId)) : undefined,
    alerts: { ...report.realtimeAlerts, published: report.alerts },
    unsupportedCalls: report.unsupportedCalls.map((call) => ({
      caller: call.caller === "log processor" ? "log processor" : "test emitter",
      description: call.description,
    })),
  };
}

/** How many records a Kinesis invocation's answer names in `batchItemFailures` (partial batch responses). */
function batchItemFailures(value: unknown): number {
  const failures = (value as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  return Array.isArray(failures) ? failures.length : 0;
}

function describeFailure(result: SandboxInvocation, sandbox: LambdaSandbox): string | undefined {
  const outcome = result.outcome;
  switch (outcome.kind) {
    case "success":
      return undefined;
    case "error":
      return `${outcome.phase === "init" ? "init failed: " : ""}${outcome.error.errorType}: ${outcome.error.errorMessage}`;
    case "timeout":
      return "timed out";
    case "crash": {
      // The process's last words, without stack frames.
      const said = sandbox.processOutput
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("at ") && !/^[{}]/.test(line))
        .slice(-2)
        .join(" / ");
      return `the runtime exited (${outcome.detail})${said === "" ? "" : `: ${said}`}`;
    }
  }
}

function notificationsOf(alarm: AlarmDefinition, history: AlarmHistory, chain: MonitoringChain): AlarmNotification[] {
  if (!alarm.actionsEnabled) return [];
  return history.transitions.flatMap((transition) => {
    const actions = transition.to === "ALARM" ? alarm.alarmActions : transition.to === "OK" ? alarm.okActions : alarm.insufficientDataActions;
    if (actions.length === 0) return [];
    return [
      {
        atMs: transition.atMs,
        state: transition.to,
        subject: `${transition.to}: "${alarm.alarmName}" in ${chain.region}`,
        targets: actions.map((arn) => ({
          arn,
          recipients: (chain.topics[arn]?.subscriptions ?? []).map((subscription) => `${subscription.protocol}:${subscription.endpoint}`),
        })),
      },
    ];
  });
}

/**
 * Whether the processors publish real-time alerts: switched on by their `REALTIME_ALERTS`, and implemented when
 * their bundle reads that variable at all (a processor built before the feature existed publishes nothing, which
 * is then not a broken link).
 */
function realtimeAlertSettings(destinations: readonly LambdaFunctionDefinition[]): SimulationReport["realtimeAlerts"] {
  const fn = destinations[0];
  if (fn === undefined) return { enabled: false, implemented: false };
  const implemented = fs.readFileSync(fn.handlerFile, "utf8").includes("REALTIME_ALERTS");
  const topicArn = fn.environment.ALERT_TOPIC_ARN;
  const criticalTopicArn = fn.environment.CRITICAL_TOPIC_ARN;
  return {
    enabled: fn.environment.REALTIME_ALERTS === "true",
    implemented,
    ...(topicArn === undefined ? {} : { topicArn }),
    ...(criticalTopicArn === undefined ? {} : { criticalTopicArn }),
  };
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

/** The dashboard's two views, as the simulation computes them from the processor's own lines. */
export interface DashboardFigures {
  /** Failures by occurrences, most first (what the "top failures" Logs Insights table shows). */
  readonly topFailures: readonly { readonly fingerprint: string; readonly occurrences: number; readonly errorType: string; readonly firstLine: string }[];
  /** Sums of the processor's EMF metrics over the run (IncidentsWritten, AlertsPublished, ...). */
  readonly figures: Readonly<Record<string, number>>;
}

/**
 * The "top failures" table and the alert figures from the lines the processor wrote straight to standard output:
 * the same query the dashboard runs (`filter record = "failure" | stats sum(count) by fingerprint`), and the EMF
 * metrics summed.
 */
export function dashboardFigures(lines: readonly string[]): DashboardFigures {
  const failures = new Map<string, { fingerprint: string; occurrences: number; errorType: string; firstLine: string }>();
  const figures: Record<string, number> = {};
  for (const line of lines) {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (record.record === "failure" && typeof record.fingerprint === "string") {
      const entry = failures.get(record.fingerprint) ?? { fingerprint: record.fingerprint, occurrences: 0, errorType: "", firstLine: "" };
      entry.occurrences += Number(record.count ?? 0);
      entry.errorType = String(record.error_type ?? "");
      entry.firstLine = String(record.first_line ?? "");
      failures.set(record.fingerprint, entry);
    }
    const directives = (record._aws as { CloudWatchMetrics?: { Metrics?: { Name: string }[] }[] } | undefined)?.CloudWatchMetrics ?? [];
    for (const metric of directives.flatMap((directive) => directive.Metrics ?? [])) {
      figures[metric.Name] = (figures[metric.Name] ?? 0) + Number(record[metric.Name] ?? 0);
    }
  }
  return { topFailures: [...failures.values()].sort((a, b) => b.occurrences - a.occurrences || a.fingerprint.localeCompare(b.fingerprint)), figures };
}
