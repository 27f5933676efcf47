import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { fingerprintMessage } from "../../../handlers/log-processor/fingerprint";
import type * as ProcessorModule from "../../../handlers/log-processor/index";
import { incidentIdOf } from "../../../handlers/log-processor/incident";
import { REQUEST_ID } from "../../fixtures/log-lines";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { bodyFor, LocalSns, startLocalSns } from "../../../lib/local-aws/sns-subscribers";
import { createIncidentsTable, deleteAllItems, readAllIncidents } from "../../support/incidents-table";
import { coldStartProcessor, LOCAL_CREDENTIALS, setEnvironment, quietProcessorRecords } from "../../support/lambda-environment";
import { dataMessage, DEFAULT_LOG_STREAM, eventId, logEvents, logsEvent } from "../../support/logs-payload";
import {
  allSuppressionItems,
  createSuppressionTable,
  deleteAllSuppressionItems,
  putSuppressionItem,
  suppressionItem,
} from "../../support/suppression-table";
import { localDynamoDbClient } from "../../support/test-dynamodb-client";

const INCIDENTS_TABLE = "log-monitor-test-incidents";
const SUPPRESSION_TABLE = "log-monitor-test-alert-suppression";
/** The topic fauxqs creates (its account is 000000000000). */
const TOPIC_ARN = "arn:aws:sns:eu-west-1:000000000000:log-monitor-test-alerts";
const LOG_GROUP = "/aws/lambda/orders-api";
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0, 0);
const INVOKE_ERROR =
  `2024-05-01T12:00:01.000Z\t${REQUEST_ID}\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'id')",` +
  `"stack":["TypeError: Cannot read properties of undefined (reading 'id')","    at Runtime.handler (file:///var/task/index.mjs:3:20)"]}\n`;
const FINGERPRINT = fingerprintMessage(INVOKE_ERROR);
/** The failure in these deliveries: account (the delivery's owner), log group and fingerprint. */
const SCOPE = { accountId: "123456789012", logGroup: LOG_GROUP, fingerprint: FINGERPRINT };

/**
 * The real handler module (index.ts), cold-started with the environment the processing stack sets, against
 * dynalite for both tables. SNS is fauxqs behind the fault proxy (lib/local-aws/sns-subscribers.ts), which the
 * handler's own SNSClient reaches through the standard AWS_ENDPOINT_URL_SNS setting; an SQS queue subscribed to the
 * topic receives what SNS delivers, and the proxy records every Publish request.
 */
describe("log processor real-time alerts (dynalite, SNS by fauxqs)", () => {
  quietProcessorRecords();
  let dynamo: LocalDynamoDb;
  let sns: LocalSns;
  let client: DynamoDBClient;
  let restoreEnvironment: () => void;
  let handler: typeof ProcessorModule.handler;
  let info: jest.SpyInstance;

  const environment = (overrides: Record<string, string | undefined> = {}) => ({
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    AWS_REGION: "eu-west-1",
    ...LOCAL_CREDENTIALS,
    INCIDENTS_TABLE_NAME: INCIDENTS_TABLE,
    INCIDENT_TTL_DAYS: undefined,
    REALTIME_ALERTS: "true",
    ALERT_TOPIC_ARN: TOPIC_ARN,
    SUPPRESSION_TABLE_NAME: SUPPRESSION_TABLE,
    SUPPRESSION_MINUTES: "15",
    ...overrides,
  });

  beforeAll(async () => {
    dynamo = await startDynalite();
    sns = await startLocalSns();
    expect(await sns.createTopic("log-monitor-test-alerts")).toBe(TOPIC_ARN);
    client = localDynamoDbClient(dynamo.endpoint);
    await createIncidentsTable(client, INCIDENTS_TABLE);
    await createSuppressionTable(client, SUPPRESSION_TABLE);
    restoreEnvironment = setEnvironment(environment());
    ({ handler } = coldStartProcessor());
  });

  afterAll(async () => {
    restoreEnvironment();
    client.destroy();
    await sns.stop();
    await dynamo.stop();
  });

  beforeEach(async () => {
    await deleteAllItems(client, INCIDENTS_TABLE);
    await deleteAllSuppressionItems(client, SUPPRESSION_TABLE);
    await sns.reset();
    info = jest.spyOn(console, "info").mockImplementation(() => undefined);
  });

  afterEach(() => {
    info.mockRestore();
  });

  const delivery = (messages: string[]) => logsEvent(dataMessage(logEvents(messages, T0), { logGroup: LOG_GROUP }));

  it("publishes one alert to the topic for a new failure, with subject, body and filterable attributes", async () => {
    // Prepare
    const event = delivery([INVOKE_ERROR, "INFO: retrying", INVOKE_ERROR]);
    // Act
    const summary = await handler(event);
    // Assess
    expect(summary).toStrictEqual({ processed: 3, incidents_created: 2, alerts_published: 1, alerts_suppressed: 0, alerts_digested: 0 });
    expect(sns.proxy.publishRequests).toHaveLength(1);
    const received = await sns.received();
    expect(received).toHaveLength(1);
    const [alert] = received;
    expect(alert?.topicArn).toBe(TOPIC_ARN);
    expect(alert?.subject).toBe(
      "[ERROR] TypeError: Cannot read properties of undefined (reading 'id') (/aws/lambda/orders-api)",
    );
    // Behaviour changed (commit 1408eee): a failure is (account, log group, fingerprint), and the alert names its account.
    expect(alert?.attributes).toStrictEqual({ severity: "ERROR", log_group: LOG_GROUP, fingerprint: FINGERPRINT, account_id: "123456789012" });
    expect(bodyFor(alert as NonNullable<typeof alert>, "email").split("\n")).toEqual(
      expect.arrayContaining([
        "TypeError: Cannot read properties of undefined (reading 'id')",
        "This failure was seen about 2 times in the last 15 minutes (replays and retries may count twice).",
        `Log group:   ${LOG_GROUP}`,
        "Severity:    ERROR",
        `Incident id: ${incidentIdOf(LOG_GROUP, DEFAULT_LOG_STREAM, eventId(0))}`,
        `Fingerprint: ${FINGERPRINT}`,
        "Console:     https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders-api",
      ]),
    );
    expect(JSON.parse(info.mock.calls[0]?.[0] as string)).toMatchObject({ alerts_published: 1, alerts_suppressed: 0, alerts_digested: 0 });
  });

  it("publishes exactly once when two execution environments see the same new failure at the same time", async () => {
    // Prepare: a second cold start is a second execution environment; nothing is shared in memory.
    const { handler: other } = coldStartProcessor();
    const first = delivery([INVOKE_ERROR, INVOKE_ERROR]);
    const second = logsEvent(
      dataMessage(logEvents([INVOKE_ERROR, INVOKE_ERROR, INVOKE_ERROR], T0), {
        logGroup: LOG_GROUP,
        logStream: "2024/05/01/[$LATEST]other",
      }),
    );
    const handlers = [handler, other];
    const events = [first, second];
    // Act
    const results = await Promise.allSettled([handler(first), other(second)]);
    // Assess: exactly one publishes. Behaviour changed: the other finds the failure sent (suppressed) if the first
    // already confirmed, or still held by the first, and then fails (it has not alerted: no success without the
    // alert), and Lambda's retry finds it sent.
    expect(sns.proxy.publishRequests).toHaveLength(1);
    const summaries = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(summaries.map((s) => s.alerts_published).sort()).toEqual(summaries.length === 2 ? [0, 1] : [1]);
    const retried: number[] = [];
    for (const [index, result] of results.entries()) {
      if (result.status === "fulfilled") continue;
      expect(result.reason).toMatchObject({
        name: "RealtimeAlertError",
        message: expect.stringContaining(`${FINGERPRINT} in ${LOG_GROUP}: another invocation holds its alert lease and has not published yet`),
      });
      // Act: Lambda's retry of the failed invocation.
      const retry = await (handlers[index] as typeof handler)(events[index]);
      expect(retry).toMatchObject({ alerts_published: 0, alerts_suppressed: 1 });
      retried.push(index === 0 ? 2 : 3);
    }
    expect(sns.proxy.publishRequests).toHaveLength(1);
    const counted = 5 + retried.reduce((sum, n) => sum + n, 0);
    expect((await suppressionItem(client, SUPPRESSION_TABLE, SCOPE))?.approx_seen_count).toStrictEqual({ N: String(counted) });
  });

  it("does not publish for a second delivery within the window, and counts its occurrences", async () => {
    // Prepare
    await handler(delivery([INVOKE_ERROR]));
    await sns.reset();
    // Act
    const summary = await handler(delivery([INVOKE_ERROR, INVOKE_ERROR]));
    // Assess
    expect(summary).toMatchObject({ alerts_published: 0, alerts_suppressed: 1, alerts_digested: 0 });
    expect(sns.proxy.publishRequests).toEqual([]);
    expect((await suppressionItem(client, SUPPRESSION_TABLE, SCOPE))?.approx_seen_count).toStrictEqual({ N: "3" });
  });

  it("publishes again when the failure's window has ended", async () => {
    // Prepare: a window for this failure that ended a second ago.
    const ended = Date.now() - 1000;
    await putSuppressionItem(client, SUPPRESSION_TABLE, {
      failure_key: { S: `123456789012|${LOG_GROUP}|${FINGERPRINT}` },
      fingerprint: { S: FINGERPRINT },
      alert_state: { S: "sent" },
      window_ends_at: { N: String(ended) },
      approx_seen_count: { N: "12" },
      owner_id: { S: "an-earlier-invocation" },
      expires_at: { N: String(Math.ceil(ended / 1000) + 86_400) },
    });
    // Act
    const summary = await handler(delivery([INVOKE_ERROR]));
    // Assess
    expect(summary).toMatchObject({ alerts_published: 1 });
    expect(sns.proxy.publishRequests).toHaveLength(1);
    expect((await suppressionItem(client, SUPPRESSION_TABLE, SCOPE))?.approx_seen_count).toStrictEqual({ N: "1" });
  });

  it("fails the invocation and releases the window when SNS refuses the publish, so that the retry alerts", async () => {
    // Prepare
    const event = delivery([INVOKE_ERROR]);
    sns.faultNextPublishes(1, {
      kind: "error",
      status: 403,
      code: "AuthorizationError",
      message: "User is not authorized to perform: SNS:Publish",
    });
    // Act
    const failure = handler(event);
    // Assess: the SDK names SNS's AuthorizationError code AuthorizationErrorException.
    await expect(failure).rejects.toMatchObject({
      name: "RealtimeAlertError",
      message:
        "Real-time alerts failed for 1 of 1 failures in the delivery (incidents are written; Lambda's retry alerts again): " +
        `${FINGERPRINT} in ${LOG_GROUP}: publishing failed (AuthorizationErrorException: User is not authorized to perform: SNS:Publish); its lease was released`,
    });
    expect(await readAllIncidents(client, INCIDENTS_TABLE)).toHaveLength(1);
    // Behaviour changed: the release removes the lease attributes, no longer the item.
    expect((await suppressionItem(client, SUPPRESSION_TABLE, SCOPE))?.alert_state).toBeUndefined();

    // Act: Lambda retries the same event.
    const retry = await handler(event);
    // Assess
    expect(retry).toStrictEqual({ processed: 1, incidents_created: 1, alerts_published: 1, alerts_suppressed: 0, alerts_digested: 0 });
    expect(sns.proxy.publishRequests).toHaveLength(2);
    expect(await readAllIncidents(client, INCIDENTS_TABLE)).toHaveLength(1);
  });

  it("fails the invocation without publishing while another invocation holds the failure's lease, and alerts on the retry once it expired", async () => {
    // Prepare: another invocation took the lease a second ago and died before publishing (the default lease is 60 s).
    const claimedAt = Date.now() - 1000;
    const held = {
      failure_key: { S: `123456789012|${LOG_GROUP}|${FINGERPRINT}` },
      fingerprint: { S: FINGERPRINT },
      alert_state: { S: "pending" },
      owner_id: { S: "a-crashed-invocation" },
      lease_expires_at: { N: String(claimedAt + 60_000) },
      window_ends_at: { N: String(claimedAt + 15 * 60_000) },
      approx_seen_count: { N: "1" },
      expires_at: { N: String(Math.ceil(claimedAt / 1000) + 86_400) },
    };
    await putSuppressionItem(client, SUPPRESSION_TABLE, held);
    const event = delivery([INVOKE_ERROR]);
    // Act
    const failure = handler(event);
    // Assess: behaviour changed: this used to count as suppressed, and the invocation succeeded without any alert.
    await expect(failure).rejects.toMatchObject({
      name: "RealtimeAlertError",
      message:
        "Real-time alerts failed for 1 of 1 failures in the delivery (incidents are written; Lambda's retry alerts again): " +
        `${FINGERPRINT} in ${LOG_GROUP}: another invocation holds its alert lease and has not published yet`,
    });
    expect(sns.proxy.publishRequests).toEqual([]);
    expect(await readAllIncidents(client, INCIDENTS_TABLE)).toHaveLength(1);
    // Act: Lambda's retry, once the lease expired (moved into the past here rather than waiting a minute).
    await putSuppressionItem(client, SUPPRESSION_TABLE, { ...held, lease_expires_at: { N: String(Date.now() - 1) } });
    const retry = await handler(event);
    // Assess
    expect(retry).toMatchObject({ alerts_published: 1, alerts_suppressed: 0 });
    expect(sns.proxy.publishRequests).toHaveLength(1);
    expect((await suppressionItem(client, SUPPRESSION_TABLE, SCOPE))?.alert_state).toStrictEqual({ S: "sent" });
  });

  it("calls neither SNS nor the suppression table when REALTIME_ALERTS=false", async () => {
    // Prepare: a cold start with alerts off (and no topic or suppression table configured at all).
    const restore = setEnvironment(
      environment({ REALTIME_ALERTS: "false", ALERT_TOPIC_ARN: undefined, SUPPRESSION_TABLE_NAME: undefined }),
    );
    try {
      const { handler: quiet } = coldStartProcessor();
      // Act
      const summary = await quiet(delivery([INVOKE_ERROR, INVOKE_ERROR]));
      // Assess
      expect(summary).toStrictEqual({ processed: 2, incidents_created: 2, alerts_published: 0, alerts_suppressed: 0, alerts_digested: 0 });
      expect(sns.proxy.publishRequests).toEqual([]);
      expect(await allSuppressionItems(client, SUPPRESSION_TABLE)).toEqual([]);
      expect(await readAllIncidents(client, INCIDENTS_TABLE)).toHaveLength(2);
    } finally {
      restore();
    }
  });
});
