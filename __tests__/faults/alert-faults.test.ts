/**
 * Fault injection: the processor's real bundle (the code `cdktf deploy` ships), run in its own Node.js process
 * as Lambda runs it, against dynalite behind a fault-injecting proxy and fauxqs (SNS) behind a second one that fails,
 * hangs, or accepts and then fails Publish requests (lib/local-aws/sns-subscribers.ts). What SNS delivered is what an
 * SQS queue subscribed to the topic received.
 *
 * Each scenario delivers once and then acts as Lambda's asynchronous invocation does on a function error: up to
 * two retries ("invocation-async": about one and two minutes later). The retries run on the function's simulated
 * clock (the sandbox's `clockMs`): a minute, then two more, pass for the function at once, so leases expire as they
 * would without the test waiting, and nothing depends on how fast the machine is. Then it checks the end state: every incident stored, every failure alerted at least once,
 * no invocation that reported success while a failure of its delivery had not alerted, and duplicates only where
 * SNS accepted a message whose response was lost.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { bundleHandler } from "../../constructs/bundle-handler";
import { fingerprintMessage } from "../../handlers/log-processor/fingerprint";
import { LambdaSandbox, lambdaEnvironment, prepareSandboxModule, SandboxInvocation } from "../../lib/simulate/lambda-sandbox";
import type { LambdaFunctionDefinition } from "../../lib/simulate/monitoring-chain";
import { LocalDynamoDb, startDynalite } from "../support/dynalite";
import { FaultProxy, startFaultProxy } from "../support/fault-proxy";
import { LocalSns, startLocalSns } from "../../lib/local-aws/sns-subscribers";
import { createIncidentsTable, readAllIncidents } from "../support/incidents-table";
import { LOCAL_CREDENTIALS } from "../support/lambda-environment";
import { dataMessage, logEvents, logsEvent } from "../support/logs-payload";
import { allSuppressionItems, createSuppressionTable } from "../support/suppression-table";
import { localDynamoDbClient } from "../support/test-dynamodb-client";

// Generous: a loaded machine (two CPU-bound processes on two cores) runs these several times slower. The outcome
// checks below do not depend on time.
jest.setTimeout(240_000);

const LOG_GROUP = "/aws/lambda/orders-api";
/** The topic fauxqs creates (its account is 000000000000). */
const TOPIC_ARN = "arn:aws:sns:eu-west-1:000000000000:log-monitor-test-alerts";
/**
 * Leases far longer than any invocation takes on a slow machine, so that none expires mid-invocation on the real
 * clock; Lambda's retries (a minute and more later, on the simulated clock) find them expired.
 */
const LEASE_MS = 30_000;
/**
 * The deployed function's timeout. It was 10 s here, which left about 5 s of work after the processor's reserve
 * (3 x (SNS 300 ms + DynamoDB 1 s) + 1 s): a loaded machine overran it and the scenarios failed for speed alone.
 */
const FUNCTION_TIMEOUT_SECONDS = 60;
/** Lambda's asynchronous retries: about one minute after the failure, then two more ("invocation-async"). */
const LAMBDA_RETRY_DELAYS_MS = [60_000, 120_000] as const;

/** `count` error lines with distinct fingerprints (letters, since the fingerprint ignores numbers). */
function distinctFailures(count: number): string[] {
  const word = (n: number): string => {
    let text = "";
    for (let rest = n + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) text = String.fromCharCode(97 + ((rest - 1) % 26)) + text;
    return text;
  };
  return Array.from({ length: count }, (_, i) => `ERROR: failure in module ${word(i)} while saving`);
}

describe("fault injection: the processor bundle against a faulty DynamoDB and SNS", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let proxy: FaultProxy;
  let sns: LocalSns;
  let workDir: string;
  let sandboxModule: string;
  let bundleDirectory: string;
  let tables = 0;
  let incidentsTable: string;
  let suppressionTable: string;
  let sandbox: LambdaSandbox | undefined;
  let requestNumber = 0;

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
    proxy = await startFaultProxy(dynamo.endpoint);
    sns = await startLocalSns();
    expect(await sns.createTopic("log-monitor-test-alerts")).toBe(TOPIC_ARN);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "log-monitor-faults-"));
    sandboxModule = prepareSandboxModule(workDir);
    bundleDirectory = bundleHandler("log-processor");
  });

  afterAll(async () => {
    await sandbox?.stop();
    client.destroy();
    await proxy.stop();
    await sns.stop();
    await dynamo.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    tables++;
    incidentsTable = `incidents-${tables}`;
    suppressionTable = `alert-suppression-${tables}`;
    await createIncidentsTable(client, incidentsTable);
    await createSuppressionTable(client, suppressionTable);
    proxy.setRule(() => undefined);
    await sns.reset();
  });

  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });

  /** A fresh execution environment of the processor bundle, with the given extra variables. */
  function startProcessor(extra: Record<string, string> = {}, timeoutSeconds = FUNCTION_TIMEOUT_SECONDS): LambdaSandbox {
    const fn: LambdaFunctionDefinition = {
      address: "processing/aws_lambda_function.log-processor",
      functionName: "log-monitor-test-log-processor",
      region: "eu-west-1",
      bundleDirectory,
      handlerFile: path.join(bundleDirectory, "index.js"),
      handlerExport: "handler",
      runtime: "nodejs24.x",
      memorySizeMb: 256,
      timeoutSeconds,
      logFormat: "text",
      logGroupName: "/aws/lambda/log-monitor-test-log-processor",
      environment: {
        INCIDENTS_TABLE_NAME: incidentsTable,
        REALTIME_ALERTS: "true",
        ALERT_TOPIC_ARN: TOPIC_ARN,
        SUPPRESSION_TABLE_NAME: suppressionTable,
        SUPPRESSION_MINUTES: "15",
        ALERT_LEASE_MS: String(LEASE_MS),
        // Request timeouts a loaded machine does not reach by slowness alone (1,000 and 300 ms did: dynalite answered
        // late and a Publish timed out after SNS had taken it, so faults appeared that no scenario injected). The
        // reserve they imply, 3 x (2 s + 5 s) + 1 s = 22 s, leaves 38 s of the 60 s for work.
        DYNAMODB_TIMEOUT_MS: "5000",
        SNS_TIMEOUT_MS: "2000",
        // One alert per failure, so that each failure's alert can be checked by its fingerprint.
        MAX_ALERTS_PER_DELIVERY: "1000",
        ...extra,
      },
      tables: [],
    };
    return LambdaSandbox.create(
      fn,
      {
        ...lambdaEnvironment(fn, "2024/05/01/[$LATEST]faults"),
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
        AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
        AWS_ENDPOINT_URL_SNS: sns.endpoint,
        AWS_EC2_METADATA_DISABLED: "true",
      },
      "123456789012",
      sandboxModule,
    );
  }

  interface DeliveryRun {
    readonly outcomes: SandboxInvocation["outcome"]["kind"][];
    /** Invocations that reported success while some failure of the delivery had not been accepted by SNS. */
    readonly silencedSuccesses: number;
    /** What each failed invocation threw (for the assertion messages). */
    readonly errors: string[];
  }

  /**
   * Delivers `messages` once, then retries as Lambda does on a function error (at most twice, with the same request
   * id and event), each retry `retryDelaysMs` later on the function's simulated clock. `beforeAttempt` may change the
   * faults for each attempt (1, 2, 3).
   */
  async function deliverWithRetries(
    messages: string[],
    beforeAttempt: (attempt: number) => void = () => undefined,
    retryDelaysMs: readonly number[] = LAMBDA_RETRY_DELAYS_MS,
  ): Promise<DeliveryRun> {
    sandbox ??= startProcessor();
    const event = logsEvent(dataMessage(logEvents(messages), { logGroup: LOG_GROUP }));
    const fingerprints = new Set(messages.map(fingerprintMessage));
    const outcomes: SandboxInvocation["outcome"]["kind"][] = [];
    let silencedSuccesses = 0;
    const errors: string[] = [];
    const requestId = `request-${++requestNumber}`;
    let clockMs = Date.now();
    for (let attempt = 1; attempt <= 3; attempt++) {
      beforeAttempt(attempt);
      if (attempt > 1) clockMs += retryDelaysMs[attempt - 2] ?? 0;
      const result = await sandbox.invoke(event, requestId, { clockMs });
      outcomes.push(result.outcome.kind);
      if (result.outcome.kind === "error") errors.push(`${result.outcome.error.errorType}: ${result.outcome.error.errorMessage}`.slice(0, 600));
      if (result.outcome.kind === "success") {
        const alerted = new Set((await sns.received()).map((publish) => publish.attributes.fingerprint));
        if ([...fingerprints].some((fingerprint) => !alerted.has(fingerprint))) silencedSuccesses++;
        break;
      }
    }
    return { outcomes, silencedSuccesses, errors };
  }

  /** Alerts SNS delivered to the topic's subscriber, per fingerprint. */
  async function acceptedPerFingerprint(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const publish of await sns.received()) {
      const fingerprint = publish.attributes.fingerprint ?? "";
      counts.set(fingerprint, (counts.get(fingerprint) ?? 0) + 1);
    }
    return counts;
  }

  /** The end state every scenario must reach. */
  async function expectEveryFailureStoredAndAlerted(messages: string[], run: DeliveryRun): Promise<Map<string, number>> {
    expect(run.silencedSuccesses).toBe(0);
    if (run.outcomes[run.outcomes.length - 1] !== "success") {
      throw new Error(`the delivery still failed after Lambda's two retries: ${run.outcomes.join(", ")}\n${run.errors.join("\n")}`);
    }
    expect(await readAllIncidents(client, incidentsTable)).toHaveLength(messages.length);
    const counts = await acceptedPerFingerprint();
    for (const message of messages) expect([message, counts.get(fingerprintMessage(message)) ?? 0]).toEqual([message, expect.any(Number)]);
    expect(messages.filter((message) => (counts.get(fingerprintMessage(message)) ?? 0) < 1)).toEqual([]);
    const items = await allSuppressionItems(client, suppressionTable);
    expect(items.filter((item) => item.alert_state?.S !== "sent")).toEqual([]);
    return counts;
  }

  it("a claim that DynamoDB applied but whose response was lost still alerts, exactly once", async () => {
    // Prepare: every claim (the conditional UpdateItem that takes a lease) is applied, then answered with 500;
    // the SDK retries it, and the retry must find its own lease.
    const messages = distinctFailures(10);
    const seen = new Set<string>();
    proxy.setRule(({ operation, body }) => {
      const values = body.ExpressionAttributeValues as Record<string, { S?: string }> | undefined;
      const key = JSON.stringify(body.Key);
      if (operation !== "UpdateItem" || values?.[":pending"] === undefined || seen.has(key)) return undefined;
      seen.add(key);
      return { kind: "apply-then-500" };
    });
    // Act
    const run = await deliverWithRetries(messages);
    // Assess
    expect(proxy.log.filter((entry) => entry.action === "apply-then-500")).toHaveLength(10);
    const counts = await expectEveryFailureStoredAndAlerted(messages, run);
    expect([...counts.values()]).toEqual(Array(10).fill(1));
  });

  it("with 20% of DynamoDB requests applied and then answered 500, 100 failures all alert, each once", async () => {
    // Prepare
    const messages = distinctFailures(100);
    proxy.setRule(({ sequence }) => (sequence % 5 === 0 ? { kind: "apply-then-500" } : undefined));
    // Act
    const run = await deliverWithRetries(messages);
    // Assess
    expect(proxy.log.filter((entry) => entry.action === "apply-then-500").length).toBeGreaterThan(40);
    const counts = await expectEveryFailureStoredAndAlerted(messages, run);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  });

  it("throttled DynamoDB requests are retried and every failure alerts once", async () => {
    // Prepare
    const messages = distinctFailures(30);
    proxy.setRule(({ sequence }) => (sequence % 4 === 0 ? { kind: "throttle" } : undefined));
    // Act
    const run = await deliverWithRetries(messages);
    // Assess
    expect(proxy.log.filter((entry) => entry.action === "throttle").length).toBeGreaterThan(10);
    const counts = await expectEveryFailureStoredAndAlerted(messages, run);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  });

  it("unprocessed batch items are written on retry and their failures alert", async () => {
    // Prepare: the first four BatchWriteItem calls get only 10 of their items written.
    const messages = distinctFailures(60);
    let batches = 0;
    proxy.setRule(({ operation }) => (operation === "BatchWriteItem" && ++batches <= 4 ? { kind: "withhold", keep: 10 } : undefined));
    // Act
    const run = await deliverWithRetries(messages);
    // Assess
    expect(proxy.log.filter((entry) => entry.action === "withhold")).toHaveLength(4);
    await expectEveryFailureStoredAndAlerted(messages, run);
  });

  it("an SNS that refuses publishes: the failure's lease is released and Lambda's retry alerts", async () => {
    // Prepare: SNS refuses every publish of the first invocation (the SDK's own retries included).
    const messages = distinctFailures(5);
    // Act
    const run = await deliverWithRetries(messages, (attempt) =>
      sns.faultNextPublishes(attempt === 1 ? 1000 : 0, { kind: "error", status: 500, code: "InternalError", message: "Internal error (injected)" }),
    );
    // Assess
    expect(run.outcomes).toEqual(["error", "success"]);
    expect(sns.proxy.publishRequests.length).toBeGreaterThanOrEqual(15);
    const counts = await expectEveryFailureStoredAndAlerted(messages, run);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  });

  it("an SNS that hangs: the request timeout ends each Publish, which is not repeated at once, and the retry alerts", async () => {
    // Prepare: no publish of the first invocation gets an answer.
    const messages = distinctFailures(3);
    // Act
    const run = await deliverWithRetries(messages, (attempt) => sns.faultNextPublishes(attempt === 1 ? 1000 : 0, { kind: "hang" }));
    // Assess: the first invocation failed with the request timeout (an "error" outcome, not the function's
    // "timeout"), whatever the machine's speed, and the retry alerted.
    expect(run.outcomes).toEqual(["error", "success"]);
    expect(run.errors[0]).toContain("publishing failed (TimeoutError");
    await expectEveryFailureStoredAndAlerted(messages, run);
    // Behaviour changed: a Publish that timed out may have been accepted, so it is not repeated at once (one SDK
    // attempt, no retry in SnsAlertPublisher): one request per failure in the first invocation (it used to be three,
    // the SDK's attempts), then one each in the retry.
    expect(sns.proxy.publishRequests).toHaveLength(6);
    expect((await sns.received())).toHaveLength(3);
  });

  it("an SNS that accepts and then answers 500: the only duplicates are SNS's own", async () => {
    // Prepare
    const messages = distinctFailures(4);
    sns.faultNextPublishes(1, { kind: "apply-then-500" });
    // Act
    const run = await deliverWithRetries(messages);
    // Assess: the SDK retried the publish whose response was lost: that one failure was delivered twice.
    const counts = await expectEveryFailureStoredAndAlerted(messages, run);
    expect([...counts.values()].sort()).toEqual([1, 1, 1, 2]);
    expect((await sns.received())).toHaveLength(5);
  });

  it("a process killed between claim and publish: the lease expires and Lambda's retry alerts", async () => {
    // Prepare: when the first publish arrives (the lease is held, nothing is sent yet), the execution
    // environment is killed, as a crash or an out-of-memory kill would end it.
    const messages = distinctFailures(1);
    sns.faultNextPublishes(1, { kind: "hang" }, () => void sandbox?.stop());
    // Act
    const run = await deliverWithRetries(messages);
    // Assess
    expect(run.outcomes).toEqual(["crash", "success"]);
    const counts = await expectEveryFailureStoredAndAlerted(messages, run);
    expect([...counts.values()]).toEqual([1]);
  });

  it("a process killed between claim and publish and retried at once: the retry owns the live lease and alerts", async () => {
    // Prepare: leases as long as the invocation (the deadline caps them); the environment is killed when the first
    // publish arrives, and the same delivery comes again a second later (a Kinesis retry of the same records, or an
    // asynchronous event delivered twice), while the dead attempt's lease is still live.
    sandbox = startProcessor({ ALERT_LEASE_MS: String(10 * 60_000) });
    const messages = distinctFailures(1);
    sns.faultNextPublishes(1, { kind: "hang" }, () => void sandbox?.stop());
    // Act
    const run = await deliverWithRetries(messages, () => undefined, [1_000, 1_000]);
    // Assess: behaviour changed: the lease used to be taken over only once it expired (a different owner per
    // invocation); the retry of the same delivery now owns it.
    expect(run.outcomes).toEqual(["crash", "success"]);
    const counts = await expectEveryFailureStoredAndAlerted(messages, run);
    expect([...counts.values()]).toEqual([1]);
  });

  it("a 1 MB error line among 40 other errors: all 41 stored (one truncated) and all 41 alerted", async () => {
    // Prepare: log events may be 1 MB (AWS What's New 2025-04); a DynamoDB item at most 400 KB.
    const messages = [`ERROR: payload rejected ${"x".repeat(1024 * 1024 - 40)}`, ...distinctFailures(40)];
    // Act
    const run = await deliverWithRetries(messages);
    // Assess
    expect(run.outcomes).toEqual(["success"]);
    await expectEveryFailureStoredAndAlerted(messages, run);
    const truncated = (await readAllIncidents(client, incidentsTable)).filter((incident) => incident.messageTruncated === true);
    expect(truncated.map((incident) => incident.messageBytes)).toEqual([Buffer.byteLength(messages[0] as string)]);
  });

  it("a line with a lone UTF-16 surrogate is stored and alerts", async () => {
    // Prepare
    const messages = ["ERROR: broken \uD83D emoji in the order note"];
    // Act
    const run = await deliverWithRetries(messages);
    // Assess
    expect(run.outcomes).toEqual(["success"]);
    await expectEveryFailureStoredAndAlerted(messages, run);
    expect((await sns.received())[0]?.message).toContain("broken \uFFFD emoji");
  });

  it("a storm whose digest SNS refuses: nothing is marked, and the retry sends the alerts and the digest", async () => {
    // Prepare: 200 distinct failures, 10 alerts per delivery; SNS refuses everything in the first invocation.
    sandbox = startProcessor({ MAX_ALERTS_PER_DELIVERY: "10" });
    const messages = distinctFailures(200);
    // Act
    const run = await deliverWithRetries(messages, (attempt) =>
      sns.faultNextPublishes(attempt === 1 ? 1000 : 0, { kind: "error", status: 500, code: "InternalError", message: "Internal error (injected)" }),
    );
    // Assess
    expect(run.outcomes).toEqual(["error", "success"]);
    expect(run.errors[0]).toContain("Real-time alerts failed for 200 of 200 failures");
    expect((await sns.received())).toHaveLength(11);
    // 190 beyond the limit is a storm (more than 10 + 100): its failures are counted into the log group's storm item.
    expect((await sns.received())[10]?.subject).toBe(`[ERROR] Storm: 190 more failures (${LOG_GROUP})`);
    expect((await sns.received())[10]?.message).toContain(`Storm: 190 distinct failures (190 occurrences) in ${LOG_GROUP}`);
    expect(await readAllIncidents(client, incidentsTable)).toHaveLength(200);
    const items = await allSuppressionItems(client, suppressionTable);
    expect(items.filter((item) => item.alert_state?.S === "sent").map((item) => item.fingerprint?.S).filter((f) => f === "storm")).toHaveLength(1);
    expect(items.filter((item) => item.alert_state?.S === "sent")).toHaveLength(11);
  });

  it("a storm of 2,000 distinct failures in one delivery: at most the configured alerts plus one digest", async () => {
    // Prepare: a function timeout well past the deployed 60 s, so that a loaded machine does not turn this check of
    // storm control into a check of speed (`npm run bench` measures 10,000 failures and the time taken).
    sandbox = startProcessor({ MAX_ALERTS_PER_DELIVERY: "10" }, 300);
    const messages = distinctFailures(2_000);
    // Act
    const run = await deliverWithRetries(messages);
    // Assess
    expect({ outcomes: run.outcomes, errors: run.errors.map((e) => e.slice(0, 300)) }).toEqual({ outcomes: ["success"], errors: [] });
    expect((await sns.received())).toHaveLength(11);
    expect((await sns.received())[10]?.subject).toBe(`[ERROR] Storm: 1990 more failures (${LOG_GROUP})`);
    expect((await sns.received())[10]?.message).toContain(`npm run incidents -- --log-group ${LOG_GROUP} --groups`);
    expect(await readAllIncidents(client, incidentsTable)).toHaveLength(2_000);
    // Ten failures claimed one by one, and the log group's storm item: 22 writes, not 4,000.
    const items = await allSuppressionItems(client, suppressionTable);
    expect(items).toHaveLength(11);
    expect(items.every((item) => item.alert_state?.S === "sent")).toBe(true);
  }, 900_000);
});
