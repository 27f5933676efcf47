import { alertFactsOf, formatAlert, formatDigest } from "../../../handlers/log-processor/alert-message";
import { MAX_CHAT_TITLE_LENGTH, snsMessageBodies } from "../../../handlers/log-processor/chat-notification";
import { decodeLogsEvent } from "../../../handlers/log-processor/decode";
import { buildIncidents, Incident } from "../../../handlers/log-processor/incident";
import { answeredNotTaken, SnsAlertPublisher } from "../../../handlers/log-processor/sns-alert-publisher";
import { SNSClient } from "@aws-sdk/client-sns";
import { bodyFor, LocalSns, startLocalSns } from "../../../lib/local-aws/sns-subscribers";
import { dataMessage, logEvents, logsEvent } from "../../support/logs-payload";
import { LOCAL_CREDENTIALS } from "../../support/lambda-environment";

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

/**
 * The custom-notification event schema, as documented in "Custom notifications using Amazon Q Developer in chat
 * applications" (AWS Chatbot Administrator Guide, https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html):
 * `version` (required, "1.0"), `source` (required, "custom"), `id`, `content` { `textType` (only "client-markdown"),
 * `title`, `description`, `nextSteps` [string], `keywords` [string] }, `metadata` { `threadId`, `summary`,
 * `eventType`, `relatedResources` [string], `additionalContext` {string: string} }. Returns every violation.
 */
function schemaViolations(value: unknown): string[] {
  const problems: string[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  const strings = (v: unknown) => Array.isArray(v) && v.every((item) => typeof item === "string");
  const only = (object: Record<string, unknown>, keys: string[], where: string) => {
    for (const key of Object.keys(object)) if (!keys.includes(key)) problems.push(`${where}.${key} is not in the schema`);
  };
  if (!isObject(value)) return ["not an object"];
  only(value, ["version", "source", "id", "content", "metadata"], "$");
  if (value.version !== "1.0") problems.push("version must be 1.0");
  if (value.source !== "custom") problems.push("source must be custom");
  if (value.id !== undefined && typeof value.id !== "string") problems.push("id must be a string");
  if (!isObject(value.content)) problems.push("content must be an object");
  else {
    const c = value.content;
    only(c, ["textType", "title", "description", "nextSteps", "keywords"], "content");
    if (c.textType !== undefined && c.textType !== "client-markdown") problems.push("content.textType must be client-markdown");
    for (const key of ["title", "description"]) if (c[key] !== undefined && typeof c[key] !== "string") problems.push(`content.${key} must be a string`);
    for (const key of ["nextSteps", "keywords"]) if (c[key] !== undefined && !strings(c[key])) problems.push(`content.${key} must be strings`);
  }
  if (value.metadata !== undefined) {
    if (!isObject(value.metadata)) problems.push("metadata must be an object");
    else {
      const m = value.metadata;
      only(m, ["threadId", "summary", "eventType", "relatedResources", "additionalContext"], "metadata");
      for (const key of ["threadId", "summary", "eventType"]) if (m[key] !== undefined && typeof m[key] !== "string") problems.push(`metadata.${key} must be a string`);
      if (m.relatedResources !== undefined && !strings(m.relatedResources)) problems.push("metadata.relatedResources must be strings");
      if (m.additionalContext !== undefined && (!isObject(m.additionalContext) || !Object.values(m.additionalContext).every((v) => typeof v === "string"))) {
        problems.push("metadata.additionalContext must map strings to strings");
      }
    }
  }
  return problems;
}

function incidents(messages: string[]): Incident[] {
  return buildIncidents(decodeLogsEvent(logsEvent(dataMessage(logEvents(messages, T0), { logGroup: "/aws/lambda/orders" }))), { ttlDays: 30 });
}

describe("chat notifications (AWS Chatbot custom notifications)", () => {
  const [fatal] = incidents(['{"timestamp":"2026-11-30T12:00:00.000Z","level":"FATAL","message":"ledger `db` unreachable after 3 retries"}']);
  const alert = formatAlert(alertFactsOf(fatal as Incident, { seenCount: 4, windowMinutes: 15, region: "eu-west-1" }));

  it("has the documented shape, with severity and failure in the title and the facts in Markdown", () => {
    // Assess
    expect(schemaViolations(alert.chat)).toEqual([]);
    expect(alert.chat?.content.title).toBe(":rotating_light: [FATAL] ledger `db` unreachable after 3 retries");
    expect(alert.chat?.content.description.split("\n")).toEqual([
      "`ledger 'db' unreachable after 3 retries`",
      "",
      "*Log group:* `/aws/lambda/orders`",
      "*Seen:* about 4 times in the last 15 minutes",
      "*Occurred at:* 2026-11-30T12:00:00.000Z",
      `*Fingerprint:* \`${fatal?.fingerprint}\``,
      // Behaviour changed (issue 19, deep links): the query that finds the event, the stream at its time, the group.
      "[Logs Insights: find this event](https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:logs-insights$3FqueryDetail$3D~(end~'2026-11-30T12*3a15*3a00.000Z~start~'2026-11-30T11*3a45*3a00.000Z~timeType~'ABSOLUTE~tz~'UTC~editorString~'fields*20*40timestamp*2c*20*40message*2c*20*40logStream*0a*7c*20filter*20*40message*20like*20*2fledger*20*60db*60*20unreachable*20after*203*20retries*2f*0a*7c*20sort*20*40timestamp*20desc~source~(~'*2faws*2flambda*2forders)))" +
        " | [Log stream at the event](https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders/log-events/2024$252F05$252F01$252F$255B$2524LATEST$255D0123456789abcdef0123456789abcdef$3Fstart$3D1796040000000)" +
        " | [Log group](https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders)",
    ]);
    expect(alert.chat?.content.nextSteps).toEqual([
      `Every occurrence: \`npm run incidents -- --fingerprint ${fatal?.fingerprint} --log-group /aws/lambda/orders --account 123456789012\``,
      `Known noise? \`npm run incidents -- mute ${fatal?.fingerprint} --for 4h --reason "..."\``,
      `Fixed? \`npm run incidents -- resolve ${fatal?.fingerprint} --log-group /aws/lambda/orders\``,
    ]);
  });

  it("the schema check can fail: it names what a wrong body breaks", () => {
    expect(schemaViolations({ version: "2.0", source: "aws", content: { textType: "plain", nextSteps: "x" }, extra: 1 })).toEqual([
      "$.extra is not in the schema",
      "version must be 1.0",
      "source must be custom",
      "content.textType must be client-markdown",
      "content.nextSteps must be strings",
    ]);
  });

  it("keeps a title to one line of at most its limit, whatever the error", () => {
    const [long] = incidents([`ERROR: ${"x".repeat(5000)}\nsecond line`]);
    const chat = formatAlert(alertFactsOf(long as Incident, { seenCount: 1, windowMinutes: 15, region: "eu-west-1" })).chat;
    expect(Array.from(chat?.content.title ?? "")).toHaveLength(MAX_CHAT_TITLE_LENGTH);
    expect(chat?.content.title).not.toContain("\n");
    expect(schemaViolations(chat)).toEqual([]);
  });

  it("gives a digest a chat body too", () => {
    const many = incidents(["ERROR: a", "ERROR: b", "FATAL: c"]);
    const digest = formatDigest(
      many.map((incident) => ({ fingerprint: incident.fingerprint, count: 1, representative: incident })),
      { maxAlerts: 10, windowMinutes: 15, region: "eu-west-1" },
    );
    expect(schemaViolations(digest.chat)).toEqual([]);
    expect(digest.chat?.content.title).toBe(":rotating_light: [FATAL] 3 more failures (/aws/lambda/orders)");
  });

  it("puts the plain text in default and email, and the chat JSON in https (Chatbot subscribes over HTTPS)", () => {
    const bodies = JSON.parse(snsMessageBodies(alert)) as Record<string, string>;
    expect(Object.keys(bodies)).toEqual(["default", "email", "https"]);
    expect(bodies.default).toBe(alert.body);
    expect(bodies.email).toBe(alert.body);
    expect(JSON.parse(bodies.https as string)).toEqual(alert.chat);
  });

  // SNS is fauxqs behind the fault proxy (lib/local-aws/sns-subscribers.ts): an SQS queue subscribed to both topics
  // receives what SNS delivers, and the proxy records every Publish request and injects the faults.
  describe("SnsAlertPublisher (SNS is fauxqs behind the fault proxy)", () => {
    let sns: LocalSns;
    let client: SNSClient;
    let ALERTS: string;
    let CRITICAL: string;
    beforeAll(async () => {
      sns = await startLocalSns();
      ALERTS = await sns.createTopic("log-monitor-test-alerts");
      CRITICAL = await sns.createTopic("log-monitor-test-critical");
      client = new SNSClient({ endpoint: sns.endpoint, region: "eu-west-1", credentials: { accessKeyId: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
    });
    afterAll(async () => {
      client.destroy();
      await sns.stop();
    });
    beforeEach(() => sns.reset());

    it("publishes a page to both topics with MessageStructure json, and an ERROR alert to the alert topic only", async () => {
      const [error] = incidents(["ERROR: disk full"]);
      const plain = formatAlert(alertFactsOf(error as Incident, { seenCount: 1, windowMinutes: 15, region: "eu-west-1" }));
      const publisher = new SnsAlertPublisher(client, ALERTS, CRITICAL);
      // Act
      await publisher.publish(alert);
      await publisher.publish(plain);
      // Assess
      const received = await sns.received();
      expect(received.map((p) => [p.topicArn, p.attributes.severity, p.messageStructure])).toEqual([
        [ALERTS, "FATAL", "json"],
        [CRITICAL, "FATAL", "json"],
        [ALERTS, "ERROR", "json"],
      ]);
      expect(bodyFor(received[1] as (typeof received)[number], "email")).toBe(alert.body);
      expect(schemaViolations(JSON.parse(bodyFor(received[1] as (typeof received)[number], "https")))).toEqual([]);
    });

    it("fails the alert when a topic refuses it, so that the lease is released and the page retried", async () => {
      const publisher = new SnsAlertPublisher(client, ALERTS, CRITICAL);
      sns.faultNextPublishes(2, { kind: "error", status: 403, code: "AuthorizationError", message: "not authorized" });
      await expect(publisher.publish(alert)).rejects.toMatchObject({ name: "AuthorizationErrorException" });
    });

    /** The SNS client as the processor builds it (index.ts): one SDK attempt, and a request timeout that throws. */
    const processorClient = (requestTimeoutMs: number) =>
      new SNSClient({
        endpoint: sns.endpoint,
        region: "eu-west-1",
        credentials: { accessKeyId: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
        maxAttempts: 1,
        requestHandler: { connectionTimeout: requestTimeoutMs, requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true },
      });

    it("repeats a Publish that SNS answered it did not take (a server error, throttling), up to its attempts", async () => {
      // Prepare
      const oneAttempt = processorClient(5_000);
      const [error] = incidents(["ERROR: disk full"]);
      const plain = formatAlert(alertFactsOf(error as Incident, { seenCount: 1, windowMinutes: 15, region: "eu-west-1" }));
      const publisher = new SnsAlertPublisher(oneAttempt, ALERTS, undefined, 3);
      try {
        // Act: two answered failures, then success.
        sns.faultNextPublishes(2, { kind: "error", status: 500, code: "InternalError", message: "Internal error" });
        await publisher.publish(plain);
        // Assess
        expect(sns.proxy.publishRequests).toHaveLength(3);
        expect(await sns.received()).toHaveLength(1);
        // Act: throttled three times: the attempts are spent.
        await sns.reset();
        sns.faultNextPublishes(3, { kind: "error", status: 400, code: "Throttling", message: "Rate exceeded" });
        await expect(publisher.publish(plain)).rejects.toMatchObject({ name: "Throttling" });
        // Assess
        expect(sns.proxy.publishRequests).toHaveLength(3);
        expect(await sns.received()).toEqual([]);
      } finally {
        oneAttempt.destroy();
      }
    });

    it("does not repeat a Publish whose answer never came: it may have been accepted, and repeating multiplied copies", async () => {
      // Prepare: SNS never answers the first Publish; the client gives up after 200 ms.
      const oneAttempt = processorClient(200);
      const [error] = incidents(["ERROR: disk full"]);
      const plain = formatAlert(alertFactsOf(error as Incident, { seenCount: 1, windowMinutes: 15, region: "eu-west-1" }));
      const publisher = new SnsAlertPublisher(oneAttempt, ALERTS, undefined, 3);
      sns.faultNextPublishes(1, { kind: "hang" });
      try {
        // Act
        const publishing = publisher.publish(plain);
        // Assess: behaviour changed: three SDK attempts used to send it three times.
        await expect(publishing).rejects.toMatchObject({ name: "TimeoutError" });
        expect(sns.proxy.publishRequests).toHaveLength(1);
      } finally {
        oneAttempt.destroy();
      }
    });

    it("tells an answer that SNS did not take the message from a request whose answer never came", () => {
      // Act / Assess
      const answered = (status: number, name = "Error") => Object.assign(new Error("x"), { name, $metadata: { httpStatusCode: status } });
      expect(answeredNotTaken(answered(500, "InternalError"))).toBe(true);
      expect(answeredNotTaken(answered(503, "ServiceUnavailable"))).toBe(true);
      expect(answeredNotTaken(answered(429))).toBe(true);
      expect(answeredNotTaken(answered(400, "Throttling"))).toBe(true);
      expect(answeredNotTaken(answered(403, "AuthorizationErrorException"))).toBe(false);
      expect(answeredNotTaken(answered(400, "InvalidParameterException"))).toBe(false);
      // A timeout or a reset connection has no answer: the message may have been accepted.
      expect(answeredNotTaken(Object.assign(new Error("Request timed out"), { name: "TimeoutError", $metadata: {} }))).toBe(false);
      expect(answeredNotTaken(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toBe(false);
    });
  });
});
