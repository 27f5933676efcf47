import { DescribeTableCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { CreateTopicCommand, PublishBatchCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { createTableInput, LOCAL_CREDENTIALS, scanTable, startLocalDynamoDb } from "../../lib/simulate/local-dynamodb";
import { LocalSns, parseSnsRequest, startLocalSns } from "../../lib/simulate/local-sns";
import type { TableDefinition } from "../../lib/simulate/monitoring-chain";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:log-monitor-test-alerts";

describe("local SNS, through the SDK's own SNSClient", () => {
  let sns: LocalSns;
  let client: SNSClient;

  beforeAll(async () => {
    sns = await startLocalSns();
    client = new SNSClient({ endpoint: sns.endpoint, region: "eu-west-1", credentials: LOCAL_CREDENTIALS });
  });

  afterAll(async () => {
    client.destroy();
    await sns.stop();
  });

  it("records a Publish with its subject, message and attributes, and answers with a MessageId", async () => {
    // Prepare
    sns.setCaller("log processor");
    // Act
    const answer = await client.send(
      new PublishCommand({
        TopicArn: TOPIC,
        Subject: "[ERROR] boom",
        Message: "body & <details>",
        MessageAttributes: { severity: { DataType: "String", StringValue: "ERROR" } },
      }),
    );
    // Assess
    expect(answer.MessageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sns.published.at(-1)).toEqual({
      topicArn: TOPIC,
      subject: "[ERROR] boom",
      message: "body & <details>",
      attributes: { severity: "ERROR" },
      messageId: answer.MessageId,
      caller: "log processor",
    });
  });

  it("records each entry of a PublishBatch", async () => {
    // Act
    const answer = await client.send(
      new PublishBatchCommand({ TopicArn: TOPIC, PublishBatchRequestEntries: [{ Id: "a", Message: "one" }, { Id: "b", Message: "two", Subject: "2" }] }),
    );
    // Assess
    expect(answer.Successful?.map((entry) => entry.Id)).toEqual(["a", "b"]);
    expect(sns.published.slice(-2).map((message) => [message.message, message.subject])).toEqual([
      ["one", undefined],
      ["two", "2"],
    ]);
  });

  it("refuses any other action with an error the SDK understands, and records it", async () => {
    // Act
    const failure = await client.send(new CreateTopicCommand({ Name: "other" })).catch((error: Error) => error);
    // Assess
    expect(failure).toMatchObject({ name: "InvalidAction" });
    expect(sns.unsupported.at(-1)).toEqual({ description: expect.stringMatching(/POST sns:CreateTopic$/), caller: "log processor" });
  });

  it("parses the Query protocol's form fields", () => {
    expect(parseSnsRequest("Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aa&Message=hi%20there")).toEqual({
      action: "Publish",
      entries: [{ topicArn: "arn:aws:sns:a", message: "hi there", attributes: {} }],
    });
    expect(parseSnsRequest("Action=Subscribe")).toEqual({ action: "other", name: "Subscribe" });
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
