import { DescribeTableCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { PublishBatchCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { createTableInput, LOCAL_CREDENTIALS, scanTable, startLocalDynamoDb } from "../../lib/simulate/local-dynamodb";
import { parsePublishForm } from "../../lib/local-aws/fault-proxy";
import { SimulatedAws, startSimulatedAws } from "../../lib/simulate/simulated-aws";
import type { TableDefinition } from "../../lib/simulate/monitoring-chain";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:log-monitor-test-alerts";

describe("the simulation's SNS (fauxqs behind the fault proxy), through the SDK's own clients", () => {
  let aws: SimulatedAws;
  let client: SNSClient;
  let topicArn: string;

  beforeAll(async () => {
    aws = await startSimulatedAws("eu-west-1");
    client = new SNSClient({ endpoint: aws.endpoint, region: "eu-west-1", credentials: LOCAL_CREDENTIALS });
    ({ ALERT_TOPIC_ARN: topicArn } = (await aws.localEnvironment({ ALERT_TOPIC_ARN: TOPIC, OTHER: "x" })) as { ALERT_TOPIC_ARN: string });
  });

  afterAll(async () => {
    client.destroy();
    await aws.stop();
  });

  it("creates the app's topics in fauxqs and points the environment at them", async () => {
    expect(topicArn).toBe("arn:aws:sns:eu-west-1:000000000000:log-monitor-test-alerts");
    expect(await aws.localEnvironment({ ALERT_TOPIC_ARN: TOPIC, OTHER: "x" })).toEqual({ ALERT_TOPIC_ARN: topicArn, OTHER: "x" });
  });

  it("reports what the topic's subscriber received, with subject, message, attributes, MessageId and caller, under the app's topic ARN", async () => {
    // Prepare
    aws.setCaller("log processor");
    // Act
    const answer = await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: "[ERROR] boom",
        Message: "body & <details>",
        MessageAttributes: { severity: { DataType: "String", StringValue: "ERROR" } },
      }),
    );
    // Assess
    expect(answer.MessageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await aws.collect()).toEqual([
      {
        topicArn: TOPIC,
        subject: "[ERROR] boom",
        message: "body & <details>",
        attributes: { severity: "ERROR" },
        messageId: answer.MessageId,
        caller: "log processor",
      },
    ]);
  });

  it("delivers each entry of a PublishBatch", async () => {
    // Act
    const answer = await client.send(
      new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [{ Id: "a", Message: "one" }, { Id: "b", Message: "two", Subject: "2" }] }),
    );
    // Assess
    expect(answer.Successful?.map((entry) => entry.Id)).toEqual(["a", "b"]);
    expect((await aws.collect()).map((message) => [message.message, message.subject])).toEqual([
      ["one", undefined],
      ["two", "2"],
    ]);
  });

  it("refuses a service no emulator serves with an error the SDK understands, and records it", async () => {
    // Prepare
    const sts = new STSClient({ endpoint: aws.endpoint, region: "eu-west-1", credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    try {
      // Act
      const failure = await sts.send(new GetCallerIdentityCommand({})).catch((error: Error) => error);
      // Assess
      expect(failure).toMatchObject({ name: "UnsupportedOperation" });
      expect(aws.unsupported.at(-1)).toEqual({ description: expect.stringMatching(/POST GetCallerIdentity$/), caller: "log processor" });
    } finally {
      sts.destroy();
    }
  });

  it("parses the Query protocol's Publish form fields", () => {
    expect(parsePublishForm(new URLSearchParams("Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aa&Message=hi%20there"))).toEqual({
      topicArn: "arn:aws:sns:a",
      subject: undefined,
      message: "hi there",
      messageStructure: undefined,
      attributes: {},
    });
  });
});

describe("local DynamoDB (dynalite) with synthesized table definitions", () => {
  const table: TableDefinition = {
    address: "processing/aws_dynamodb_table.incidents-table",
    name: "log-monitor-test-incidents",
    hashKey: "incident_id",
    attributes: [
      { name: "incident_id", type: "S" },
      { name: "log_group", type: "S" },
      { name: "occurred_at", type: "S" },
    ],
    globalSecondaryIndexes: [{ name: "by-log-group", hashKey: "log_group", rangeKey: "occurred_at", projectionType: "ALL" }],
  };

  it("turns a synthesized table into its CreateTable request", () => {
    expect(createTableInput(table)).toEqual({
      TableName: "log-monitor-test-incidents",
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "incident_id", AttributeType: "S" },
        { AttributeName: "log_group", AttributeType: "S" },
        { AttributeName: "occurred_at", AttributeType: "S" },
      ],
      KeySchema: [{ AttributeName: "incident_id", KeyType: "HASH" }],
      GlobalSecondaryIndexes: [
        {
          IndexName: "by-log-group",
          KeySchema: [
            { AttributeName: "log_group", KeyType: "HASH" },
            { AttributeName: "occurred_at", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        },
      ],
    });
  });

  it("creates the tables, which can then be written and scanned", async () => {
    // Prepare
    const dynamo = await startLocalDynamoDb([table], "eu-west-1");
    try {
      // Act
      await dynamo.client.send(
        new PutItemCommand({ TableName: table.name, Item: { incident_id: { S: "i1" }, log_group: { S: "/g" }, occurred_at: { S: "2024-05-01T12:00:00.000Z" } } }),
      );
      const description = await dynamo.client.send(new DescribeTableCommand({ TableName: table.name }));
      // Assess
      expect(description.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(["by-log-group"]);
      expect(await scanTable(dynamo.client, table.name)).toEqual([{ incident_id: { S: "i1" }, log_group: { S: "/g" }, occurred_at: { S: "2024-05-01T12:00:00.000Z" } }]);
    } finally {
      await dynamo.stop();
    }
  });
});
