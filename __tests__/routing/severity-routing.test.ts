import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type * as ProcessorModule from "../../handlers/log-processor/index";
import { ModelMessage, SnsDeliveryModel } from "../../lib/routing/sns-delivery-model";
import { REQUEST_ID } from "../fixtures/log-lines";
import { LocalDynamoDb, startDynalite } from "../support/dynalite";
import { LocalSns, startLocalSns } from "../../lib/local-aws/sns-subscribers";
import { createIncidentsTable } from "../support/incidents-table";
import { coldStartProcessor, LOCAL_CREDENTIALS, setEnvironment, quietProcessorRecords } from "../support/lambda-environment";
import { dataMessage, logEvents, logsEvent } from "../support/logs-payload";
import { createSuppressionTable } from "../support/suppression-table";
import { localDynamoDbClient } from "../support/test-dynamodb-client";
import { synthStacks, testConfig, TerraformJson } from "../stacks/synth-helpers";

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const TEAM = "9a3c1f52-7b1e-4a5e-9d2c-0f1e2d3c4b5a";
const TENANT = "01234567-89ab-cdef-0123-456789abcdef";
/** The configuration of the "Done when": Slack and Teams channels, a critical-only email, quiet notices. */
const ROUTING_ENV = {
  LOG_MONITOR_ALERT_EMAILS: "team@example.com, oncall@example.com:critical",
  LOG_MONITOR_SLACK_CHANNELS: "T07EA123LEP/C07EZ1ABC23, T07EA123LEP/C0PAGES01:critical",
  LOG_MONITOR_TEAMS_CHANNELS: `${TEAM}/19:ab12cd34ef@thread.tacv2/${TENANT}`,
  LOG_MONITOR_QUIET_NOTICES: "true",
  LOG_MONITOR_MONTHLY_BUDGET_USD: "50",
  LOG_MONITOR_PAGER_ENDPOINT_PARAMETER: "/log-monitor/test/pager-endpoint",
};
/** The pager's subscription as the model names it: its endpoint is a sensitive reference, never a value. */
const PAGER = "https:${sensitive(data.aws_ssm_parameter.pager-endpoint.value)}";
const CRITICAL_ONLY = ["email:oncall@example.com", "chat:log-monitor-test-slack-T07EA123LEP-C0PAGES01-eu-west-1"];
const EVERYTHING = ["email:team@example.com", "chat:log-monitor-test-slack-T07EA123LEP-C07EZ1ABC23-eu-west-1", "chat:log-monitor-test-teams-19-ab12cd34ef-thread-tacv2-eu-west-1"];

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const line = (level: string, text: string) => `2026-11-30T12:00:01.000Z\t${REQUEST_ID}\t${level}\t${text}`;

function parsedStacks(env: Record<string, string>): Record<string, TerraformJson> {
  const synthesized = synthStacks(testConfig(env));
  return { alerting: JSON.parse(synthesized.alerting), processing: JSON.parse(synthesized.processing) };
}

/** What each subscriber received, as short labels: `alert:<severity>`, `alarm:<name>:<state>`, `budget`. */
function received(model: SnsDeliveryModel, messages: readonly (ModelMessage & { readonly label: string })[]): Map<string, string[]> {
  const bySubscriber = new Map<string, string[]>();
  for (const message of messages) {
    for (const delivery of model.deliver(message)) {
      bySubscriber.set(delivery.subscriber, [...(bySubscriber.get(delivery.subscriber) ?? []), message.label]);
    }
  }
  return bySubscriber;
}

/**
 * Severity routing, proven on the synthesized subscriptions: a model of SNS delivery (lib/routing) built from the
 * synthesized topics, subscriptions, Chatbot configurations and alarm actions is fed the processor's real Publish
 * messages (the real handler against dynalite, publishing to fauxqs behind the fault proxy; the messages are what an SQS
 * queue subscribed to both topics received) and the notifications CloudWatch publishes for every alarm transition.
 */
describe("severity routing over the synthesized subscriptions", () => {
  quietProcessorRecords();
  const stacks = parsedStacks(ROUTING_ENV);
  const model = new SnsDeliveryModel(stacks, REGION, ACCOUNT);
  let dynamo: LocalDynamoDb;
  let sns: LocalSns;
  let client: DynamoDBClient;
  let restore: () => void;
  let handler: typeof ProcessorModule.handler;
  let processorMessages: (ModelMessage & { label: string })[];

  beforeAll(async () => {
    dynamo = await startDynalite();
    sns = await startLocalSns({ region: REGION });
    client = localDynamoDbClient(dynamo.endpoint);
    await createIncidentsTable(client, "log-monitor-test-incidents");
    await createSuppressionTable(client, "log-monitor-test-alert-suppression");
    // The processor's topic variables as the processing stack sets them, resolved to the topics they name.
    const env = stacks.processing.resource.aws_lambda_function["log-processor"].environment.variables;
    const alertTopic = model.topicOf("processing", env.ALERT_TOPIC_ARN);
    const criticalTopic = model.topicOf("processing", env.CRITICAL_TOPIC_ARN);
    expect([alertTopic, criticalTopic]).toEqual(["alert-topic", "critical-topic"]);
    // The topics in fauxqs, by the names the stacks give them (fauxqs's ARNs name its own account, 000000000000).
    const fauxqsArn = new Map<string, string>();
    for (const topic of [alertTopic, criticalTopic]) fauxqsArn.set(model.topicArn(topic), await sns.createTopic(model.topics.get(topic) as string));
    restore = setEnvironment({
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      AWS_REGION: REGION,
      ...LOCAL_CREDENTIALS,
      INCIDENTS_TABLE_NAME: "log-monitor-test-incidents",
      REALTIME_ALERTS: "true",
      ALERT_TOPIC_ARN: fauxqsArn.get(model.topicArn(alertTopic)),
      CRITICAL_TOPIC_ARN: fauxqsArn.get(model.topicArn(criticalTopic)),
      SUPPRESSION_TABLE_NAME: "log-monitor-test-alert-suppression",
      SUPPRESSION_MINUTES: "15",
    });
    ({ handler } = coldStartProcessor());
    const info = jest.spyOn(console, "info").mockImplementation(() => undefined);
    await handler(
      logsEvent(
        dataMessage(
          logEvents([line("ERROR", "payment gateway timeout"), line("FATAL", "out of memory"), JSON.stringify({ timestamp: "2026-11-30T12:00:01.000Z", level: "CRITICAL", requestId: REQUEST_ID, message: "ledger unreachable" })], T0),
          { logGroup: "/aws/lambda/orders" },
        ),
      ),
    );
    info.mockRestore();
    const modelArn = new Map([...fauxqsArn].map(([arn, local]) => [local, arn]));
    processorMessages = (await sns.received()).map((publish) => ({
      ...publish,
      topicArn: modelArn.get(publish.topicArn) as string,
      label: `alert:${publish.attributes.severity}`,
    }));
  });

  afterAll(async () => {
    restore();
    client.destroy();
    await sns.stop();
    await dynamo.stop();
  });

  const alarmNames = () => [...model.alarms.keys()].sort();
  const alarmMessages = () =>
    alarmNames().flatMap((name) =>
      (["ALARM", "OK"] as const).flatMap((state) => model.alarmNotifications(name, state).map((message) => ({ ...message, label: `alarm:${name}:${state}` }))),
    );

  it("publishes FATAL and CRITICAL alerts to both topics and the ERROR alert to the alert topic only", () => {
    expect(processorMessages.map((m) => [m.label, m.topicArn.split(":").pop()]).sort()).toEqual([
      ["alert:CRITICAL", "log-monitor-test-alerts"],
      ["alert:CRITICAL", "log-monitor-test-critical"],
      ["alert:ERROR", "log-monitor-test-alerts"],
      ["alert:FATAL", "log-monitor-test-alerts"],
      ["alert:FATAL", "log-monitor-test-critical"],
    ]);
  });

  it("gives a critical-only subscriber (email or channel) the FATAL/CRITICAL alerts, every alarm firing and the error alarm's recovery, and nothing else", () => {
    // Act
    const got = received(model, [...processorMessages, ...alarmMessages()]);
    // Assess: every alarm of the environment, the processing stack's pipeline alarms included.
    expect(alarmNames()).toEqual(
      expect.arrayContaining(["log-monitor-test-errors", "log-monitor-test-processor-errors", "log-monitor-test-dead-letter-queue-not-empty"]),
    );
    // A pipeline or silence alarm's recovery is not a page (issue 17): its OK goes to the alert topic only.
    const pages = [
      "alert:CRITICAL",
      "alert:FATAL",
      ...alarmNames().flatMap((name) => (name === "log-monitor-test-errors" ? [`alarm:${name}:ALARM`, `alarm:${name}:OK`] : [`alarm:${name}:ALARM`])),
    ].sort();
    for (const subscriber of CRITICAL_ONLY) expect([...(got.get(subscriber) ?? [])].sort()).toEqual(pages);
  });

  it("gives every other subscriber each alert and alarm transition exactly once", () => {
    const got = received(model, [...processorMessages, ...alarmMessages()]);
    const all = ["alert:CRITICAL", "alert:ERROR", "alert:FATAL", ...alarmNames().flatMap((name) => [`alarm:${name}:ALARM`, `alarm:${name}:OK`])].sort();
    for (const subscriber of EVERYTHING) expect([...(got.get(subscriber) ?? [])].sort()).toEqual(all);
  });

  it("delivers as the model does when fauxqs fans out to the synthesized subscriptions, with any filter policy they have (one SQS queue per subscriber)", async () => {
    // Prepare: every topic of the stacks in fauxqs, and per subscriber a queue subscribed with its filter policy.
    const credentials = { accessKeyId: "local", secretAccessKey: "local" };
    const snsClient = new SNSClient({ endpoint: sns.fauxqsEndpoint, region: REGION, credentials });
    const sqsClient = new SQSClient({ endpoint: sns.fauxqsEndpoint, region: REGION, credentials });
    try {
      const topicArns = new Map<string, string>();
      for (const [id, name] of model.topics) topicArns.set(model.topicArn(id), (await snsClient.send(new CreateTopicCommand({ Name: name }))).TopicArn as string);
      const queues = new Map<string, string>();
      for (const [index, subscriber] of model.subscribers.entries()) {
        const queueUrl = (await sqsClient.send(new CreateQueueCommand({ QueueName: `routing-subscriber-${index}` }))).QueueUrl as string;
        const queueArn = (await sqsClient.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn as string;
        await snsClient.send(
          new SubscribeCommand({
            TopicArn: topicArns.get(model.topicArn(subscriber.topic)),
            Protocol: "sqs",
            Endpoint: queueArn,
            ...(subscriber.filterPolicy === undefined ? {} : { Attributes: { FilterPolicy: JSON.stringify(subscriber.filterPolicy) } }),
          }),
        );
        queues.set(`${subscriber.id}|${index}`, queueUrl);
      }
      // Act: the processor's messages and every alarm notification, published to fauxqs with their attributes.
      const labels = new Map<string, string>();
      for (const message of [...processorMessages, ...alarmMessages()]) {
        const answer = await snsClient.send(
          new PublishCommand({
            TopicArn: topicArns.get(message.topicArn),
            Message: message.message,
            MessageAttributes: Object.fromEntries(Object.entries(message.attributes).map(([name, value]) => [name, { DataType: "String", StringValue: value }])),
          }),
        );
        labels.set(answer.MessageId as string, message.label);
      }
      // Assess: each subscriber's queue got what the model delivers to that subscriber.
      const got = new Map<string, string[]>();
      for (const [key, queueUrl] of queues) {
        const subscriber = key.split("|")[0] as string;
        for (;;) {
          const { Messages = [] } = await sqsClient.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60, WaitTimeSeconds: 0 }));
          if (Messages.length === 0) break;
          for (const m of Messages) got.set(subscriber, [...(got.get(subscriber) ?? []), labels.get((JSON.parse(m.Body as string) as { MessageId: string }).MessageId) as string]);
        }
      }
      const expected = received(model, [...processorMessages, ...alarmMessages()]);
      const sorted = (map: Map<string, string[]>) => [...map].map(([subscriber, list]) => [subscriber, [...list].sort()]).sort();
      expect(sorted(got)).toEqual(sorted(expected));
    } finally {
      snsClient.destroy();
      sqsClient.destroy();
    }
  });

  it("keeps the budget's notifications away from critical-only subscribers (Budgets notifies the alert topic and plain addresses)", () => {
    const budget = Object.values<TerraformJson>(stacks.alerting.resource.aws_budgets_budget)[0];
    for (const notification of budget.notification) {
      expect(notification.subscriber_sns_topic_arns).toEqual(["${aws_sns_topic.alert-topic.arn}"]);
      expect(notification.subscriber_email_addresses).toEqual(["team@example.com"]);
    }
  });

  it("delivers the plain text to email and Chatbot's custom notification to chat channels", () => {
    const fatal = processorMessages.find((m) => m.label === "alert:FATAL" && m.topicArn.endsWith(":log-monitor-test-critical")) as ModelMessage;
    const deliveries = model.deliver(fatal);
    const email = deliveries.find((d) => d.subscriber === "email:oncall@example.com");
    const chat = deliveries.find((d) => d.protocol === "https");
    expect(email?.body.split("\n")[0]).toBe("FATAL in /aws/lambda/orders");
    expect(JSON.parse(chat?.body ?? "{}")).toMatchObject({ version: "1.0", source: "custom", content: { textType: "client-markdown" } });
  });

  it("pages the pager with every alarm's ALARM and OK, as CloudWatch's alarm JSON, and with no processor message", () => {
    // Act
    const got = received(model, [...processorMessages, ...alarmMessages()]);
    // Assess: OK included, so PagerDuty resolves what ALARM opened; no Chatbot body reaches it.
    expect([...(got.get(PAGER) ?? [])].sort()).toEqual(alarmNames().flatMap((name) => [`alarm:${name}:ALARM`, `alarm:${name}:OK`]).sort());
    const ok = model.alarmNotifications("log-monitor-test-processor-errors", "OK").flatMap((message) => model.deliver(message));
    expect(ok.filter((d) => d.subscriber === PAGER).map((d) => JSON.parse(d.body).NewStateValue)).toEqual(["OK"]);
    // Nobody subscribed before hears anything more: the pager topic has the pager alone.
    expect(model.subscribers.filter((subscriber) => subscriber.topic === "pager-topic").map((subscriber) => subscriber.id)).toEqual([PAGER]);
  });

  it("would catch the pager subscribed to the critical topic: it would get Chatbot's body and miss pipeline recoveries (the check can fail)", () => {
    // Prepare
    const broken = JSON.parse(JSON.stringify(stacks)) as Record<string, TerraformJson>;
    broken.alerting.resource.aws_sns_topic_subscription["pager-subscription"].topic_arn = "${aws_sns_topic.critical-topic.arn}";
    const brokenModel = new SnsDeliveryModel(broken, REGION, ACCOUNT);
    // Act
    const fatal = processorMessages.find((m) => m.label === "alert:FATAL" && m.topicArn.endsWith(":log-monitor-test-critical")) as ModelMessage;
    const body = brokenModel.deliver(fatal).find((d) => d.subscriber === PAGER)?.body ?? "{}";
    const got = received(brokenModel, alarmMessages());
    // Assess
    expect(JSON.parse(body)).toMatchObject({ version: "1.0", source: "custom" });
    expect(got.get(PAGER)).not.toContain("alarm:log-monitor-test-processor-errors:OK");
  });

  it("would catch a critical-only subscription on the alert topic (the check can fail)", () => {
    // Prepare: the critical email subscribed to the alert topic instead, as a wrong stack would.
    const broken = JSON.parse(JSON.stringify(stacks)) as Record<string, TerraformJson>;
    broken.alerting.resource.aws_sns_topic_subscription["critical-email-oncall-at-example-com"].topic_arn = "${aws_sns_topic.alert-topic.arn}";
    // Act
    const got = received(new SnsDeliveryModel(broken, REGION, ACCOUNT), processorMessages);
    // Assess
    expect(got.get("email:oncall@example.com")).toContain("alert:ERROR");
  });
});
