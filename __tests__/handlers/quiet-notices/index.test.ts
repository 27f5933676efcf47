import type * as SweeperModule from "../../../handlers/quiet-notices/index";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { LocalSns, startLocalSns } from "../../../lib/local-aws/sns-subscribers";
import { createIncidentsTable } from "../../support/incidents-table";
import { LOCAL_CREDENTIALS, setEnvironment, thrownBy } from "../../support/lambda-environment";
import { createSuppressionTable, writeAlertedOccurrence } from "../../support/suppression-table";
import { localDynamoDbClient } from "../../support/test-dynamodb-client";

/** A quiet episode's last occurrence: long before any clock this runs on, so the handler's own Date.now() finds it quiet. */
const LONG_AGO = Date.UTC(2026, 0, 1);
const SCOPE = { accountId: "123456789012", logGroup: "/aws/lambda/payments", fingerprint: "a".repeat(32) };

/**
 * The sweeper's real entry point (index.ts: its environment, its SDK clients with their timeouts and attempts) against
 * dynalite and fauxqs behind the fault proxy (which refuses what SNS refuses), reached through the SDK's standard
 * AWS_ENDPOINT_URL_* settings; an SQS queue subscribed to the topic receives the notices.
 */
describe("quiet-notices handler (cold start against dynalite and fauxqs)", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let sns: LocalSns;
  let topicArn: string;
  let restore: () => void;
  let n = 0;

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
    sns = await startLocalSns();
    topicArn = await sns.createTopic("alerts");
  });
  afterAll(async () => {
    client.destroy();
    await sns.stop();
    await dynamo.stop();
  });
  afterEach(() => restore());

  const coldStart = async (): Promise<typeof SweeperModule> => {
    n++;
    await createSuppressionTable(client, `suppression-${n}`);
    await createIncidentsTable(client, `incidents-${n}`);
    await sns.reset();
    restore = setEnvironment({
      ...LOCAL_CREDENTIALS,
      AWS_REGION: "eu-west-1",
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      SUPPRESSION_TABLE_NAME: `suppression-${n}`,
      INCIDENTS_TABLE_NAME: `incidents-${n}`,
      ALERT_TOPIC_ARN: topicArn,
      SUPPRESSION_MINUTES: "15",
    });
    let module: typeof SweeperModule | undefined;
    jest.isolateModules(() => {
      module = require("../../../handlers/quiet-notices/index") as typeof SweeperModule;
    });
    return module as typeof SweeperModule;
  };
  const context = { getRemainingTimeInMillis: () => 60_000 };

  it("publishes the notice of a quiet episode and closes it", async () => {
    const sweeper = await coldStart();
    await writeAlertedOccurrence(client, `suppression-${n}`, SCOPE, LONG_AGO, 3);
    // Act
    const first = await sweeper.handler(undefined, context);
    const second = await sweeper.handler(undefined, context);
    // Assess
    expect(first).toMatchObject({ quiet: 1, notified: 1, failed: 0 });
    expect(second).toMatchObject({ quiet: 0 });
    expect((await sns.received()).map((p) => p.subject)).toEqual([`[RESOLVED] Quiet again: failure ${SCOPE.fingerprint} (/aws/lambda/payments)`]);
  });

  it("makes one Publish attempt when SNS does not answer (5 s request timeout, no SDK retry), fails the invocation, and the next sweep sends it", async () => {
    const sweeper = await coldStart();
    await writeAlertedOccurrence(client, `suppression-${n}`, SCOPE, LONG_AGO);
    sns.faultNextPublishes(1, { kind: "hang" });
    // Act
    const error = await sweeper.handler(undefined, context).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    const attemptsWhileHung = sns.proxy.publishRequests.length;
    const retry = await sweeper.handler(undefined, context);
    // Assess
    expect(attemptsWhileHung).toBe(1);
    expect((error as Error | undefined)?.name).toBe("QuietNoticeError");
    expect((error as Error).message).toMatch(/^Quiet-again notices failed for 1 episode\(s\) \(123456789012\|\/aws\/lambda\/payments\|a{32}\); released for the next sweep: TimeoutError: /);
    expect(retry.notified).toBe(1);
    expect(await sns.received()).toHaveLength(1);
  }, 30_000);

  it("fails its cold start naming a missing variable", () => {
    restore = setEnvironment({ SUPPRESSION_TABLE_NAME: undefined, SUPPRESSION_MINUTES: "15" });
    const error = thrownBy(() => jest.isolateModules(() => require("../../../handlers/quiet-notices/index")));
    expect((error as Error).message).toContain("SUPPRESSION_TABLE_NAME");
  });
});
