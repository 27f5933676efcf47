import fc from "fast-check";
import { PublishCommand, PublishCommandInput, SNSClient } from "@aws-sdk/client-sns";
import { AlertMessage } from "../../../handlers/log-processor/alert-message";
import { ChatNotification } from "../../../handlers/log-processor/chat-notification";
import { MAX_MESSAGE_BYTES, publishCommand, publishInput, subjectWithinLimits } from "../../../handlers/log-processor/sns-publish";
import { formatQuietNotice, formatQuietSummary } from "../../../handlers/quiet-notices/quiet-notice";
import { QuietEpisode } from "../../../handlers/quiet-notices/episodes";
import { snsPublishViolations } from "../../../lib/local-aws/fault-proxy";
import { LocalSns, startLocalSns } from "../../../lib/local-aws/sns-subscribers";

/**
 * SNS's request-time limits on every Publish the project makes, for any input. Sources:
 * - Amazon SNS API Reference, Publish, `Subject`: "Subjects must be UTF-8 text with no line breaks or control
 *   characters, and less than 100 characters long" (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html);
 *   held here as 1 to 99 printable ASCII characters, which email also takes.
 * - Same page, `Message`: "messages must be UTF-8 encoded strings and at most 256 KB in size (262,144 bytes, not
 *   262,144 characters)"; with `MessageStructure: "json"`, a JSON object with a `default` key.
 * - Amazon SNS API Reference, MessageAttributeValue: "Name, type, and value must not be empty or null. [...] All parts
 *   of the message attribute, including name, type, and value, are included in the message size restriction, which
 *   is currently 256 KB (262,144 bytes)" (https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html).
 */
const SEED = 20261202;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MB = 1 << 20;

/** Why SNS would refuse this request (undefined when it would take it); checks the input the SDK serializes. */
function violation(input: PublishCommandInput): string | undefined {
  const attributes = Object.fromEntries(Object.entries(input.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue ?? ""]));
  for (const [name, value] of Object.entries(input.MessageAttributes ?? {})) {
    if (value.DataType !== "String") return `attribute ${name} is not a String`;
  }
  const texts = [input.Subject ?? "", input.Message ?? "", ...Object.keys(attributes), ...Object.values(attributes)];
  if (texts.some((text) => LONE_SURROGATE.test(text))) return "a lone surrogate (not UTF-8)";
  if (input.MessageStructure !== "json") return "not MessageStructure json";
  const problems = snsPublishViolations({ topicArn: input.TopicArn ?? "", subject: input.Subject, message: input.Message ?? "", messageStructure: "json", attributes });
  return problems.length > 0 ? problems.join("; ") : undefined;
}

/** Strings at the edges: multi-byte, lone surrogates, control characters, JSON-escaped characters, 1 MB lines. */
const edgeText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ unit: fc.constantFrom("\uD800", "\uDFFF", "\uDBFF\uDFFF", "€", "😀", "\u0000", "\u001f", "\n", "\r", "\t", "\u2028", '"', "\\", "`", "a"), maxLength: 400 }),
  fc.tuple(fc.constantFrom("x", "€", "😀", "\u0000", "\\", '"', "\uD800", "\u0007", "\n"), fc.integer({ min: 90, max: MB })).map(([unit, n]) => unit.repeat(n)),
  fc.tuple(fc.string({ unit: "binary", maxLength: 20 }), fc.integer({ min: 0, max: MB })).map(([head, n]) => head + "y".repeat(n) + head),
);

const chat: fc.Arbitrary<ChatNotification> = fc.record({
  version: fc.constant("1.0" as const),
  source: fc.constant("custom" as const),
  content: fc.record({
    textType: fc.constant("client-markdown" as const),
    title: edgeText,
    description: edgeText,
    nextSteps: fc.array(edgeText, { maxLength: 3 }),
  }),
  metadata: fc.record({ threadId: edgeText, summary: edgeText }),
});

const alert: fc.Arbitrary<AlertMessage> = fc.record(
  {
    subject: edgeText,
    body: edgeText,
    attributes: fc.record({
      severity: fc.constantFrom("ERROR" as const, "FATAL" as const, "CRITICAL" as const),
      log_group: edgeText,
      fingerprint: edgeText,
    }),
    chat,
  },
  { requiredKeys: ["subject", "body", "attributes"] },
);

describe("publishCommand: every Publish within SNS's request-time limits, for any alert", () => {
  it("keeps subject, message and attributes within the limits for generated edge inputs", () => {
    fc.assert(
      fc.property(alert, (message) => {
        const input = publishCommand("arn:aws:sns:eu-west-1:123456789012:alerts", message).input;
        expect(violation(input)).toBeUndefined();
        // The cut keeps the JSON's keys, the default body first among them.
        const bodies = JSON.parse(input.Message as string) as Record<string, string>;
        expect(Object.keys(bodies)).toEqual(message.chat === undefined ? ["default", "email"] : ["default", "email", "https"]);
        if (message.chat !== undefined) expect(JSON.parse(bodies.https as string)).toMatchObject({ version: "1.0", source: "custom" });
      }),
      { seed: SEED, numRuns: 50 },
    );
  });

  it("keeps a 1 MB single-line body of 4-byte characters, with 1 MB attributes and chat, under 262,144 bytes", () => {
    // Prepare: every part at its largest (a CloudWatch Logs event is up to 1 MB since April 2025).
    const huge = "😀".repeat(MB / 2);
    const message: AlertMessage = {
      subject: huge,
      body: huge,
      attributes: { severity: "ERROR", log_group: huge, fingerprint: "" },
      chat: { version: "1.0", source: "custom", content: { textType: "client-markdown", title: huge, description: "\\".repeat(MB), nextSteps: [huge] } },
    };
    // Act
    const input = publishInput("arn:aws:sns:eu-west-1:123456789012:alerts", message);
    // Assess
    expect(violation(input)).toBeUndefined();
    expect(Buffer.byteLength(input.Message, "utf8")).toBeGreaterThan(MAX_MESSAGE_BYTES - 8_000);
    expect(input.MessageAttributes?.fingerprint?.StringValue).toBe("-");
    expect(JSON.parse(input.Message).default).toMatch(/\n\.\.\. \[cut to fit SNS's 256 KB message limit; the incident keeps the whole text\]$/);
  });

  it("leaves a message that fits unchanged", () => {
    const message: AlertMessage = { subject: "[ERROR] x (/aws/lambda/a)", body: "line 1\nline 2 €", attributes: { severity: "ERROR", log_group: "/aws/lambda/a", fingerprint: "f" } };
    expect(publishInput("arn", message)).toMatchObject({
      Subject: "[ERROR] x (/aws/lambda/a)",
      Message: JSON.stringify({ default: "line 1\nline 2 €", email: "line 1\nline 2 €" }),
    });
  });

  it.each([
    ["a".repeat(100), `${"a".repeat(96)}...`],
    ["[RESOLVED] line\r\nbreak\u0007 € 😀 \uD800", "[RESOLVED] line break? ? ? ?"],
    ["\n\t ", "log-monitor notification"],
  ])("makes the subject %j printable ASCII under 100 characters: %j", (subject, expected) => {
    expect(subjectWithinLimits(subject)).toBe(expected);
  });
});

describe("quiet-again notices and summaries within SNS's limits", () => {
  const episode = (line: number, overrides: Partial<QuietEpisode> = {}): QuietEpisode => ({
    failureKey: `123456789012|/aws/lambda/orders-api|${String(line).padStart(32, "0")}`,
    fingerprint: String(line).padStart(32, "0"),
    logGroup: "/aws/lambda/orders-api",
    accountId: "123456789012",
    count: line + 1,
    startedAtMs: Date.UTC(2026, 10, 30, 12),
    lastSeenAtMs: Date.UTC(2026, 10, 30, 12, 30),
    ...overrides,
  });
  const context = { windowMinutes: 15, region: "eu-west-1" };

  it("cuts a long first line before [RESOLVED] counts: the subject is at most 99 characters", () => {
    // Prepare: a first line long enough that the old code's swap of "[ERROR] " for "[RESOLVED] " after the cut gave 102.
    const notice = formatQuietNotice(episode(1), { logGroup: "/aws/lambda/orders-api", message: `ERROR ${"payment declined ".repeat(20)}`, severity: "ERROR" }, context);
    // Assess
    expect(notice.subject.length).toBeLessThanOrEqual(99);
    expect(notice.subject).toMatch(/^\[RESOLVED\] Quiet again: ERROR payment declined .*\.\.\. \(\/aws\/lambda\/orders-api\)$/);
    expect(violation(publishInput("arn", notice))).toBeUndefined();
  });

  it("keeps notices of generated episodes and lines within the limits, the subject tagged [RESOLVED]", () => {
    fc.assert(
      fc.property(edgeText, edgeText, fc.constantFrom("ERROR", "FATAL", "CRITICAL", "nonsense"), (message, logGroup, severity) => {
        const notice = formatQuietNotice(episode(7, { logGroup }), { logGroup, message, severity }, context);
        const input = publishInput("arn", notice);
        expect(violation(input)).toBeUndefined();
        expect(input.Subject.startsWith("[RESOLVED] ")).toBe(true);
      }),
      { seed: SEED, numRuns: 25 },
    );
  });

  it("shows CloudWatch Logs' longest log group name whole, and cuts a longer value to the incident's 1,024-byte cap", () => {
    // CloudWatch Logs API Reference, CreateLogGroup, logGroupName: 1 to 512 characters of [\.\-_/#A-Za-z0-9]. The
    // processor stores at most ATTRIBUTE_BYTE_CAPS.logGroup (1,024) bytes of a group, so no item holds more; a notice
    // of a longer value (no real group) shows its first 1,024 bytes, and costs what a real one does.
    const longest = `/aws/lambda/${"a-._#/0".repeat(80)}`.slice(0, 512);
    const huge = `/${"€".repeat(MB)}`;
    const incident = { logGroup: "", message: "ERROR payment declined", severity: "ERROR" };
    // Act
    const real = formatQuietNotice(episode(3, { logGroup: longest }), { ...incident, logGroup: longest }, context);
    const cut = formatQuietNotice(episode(3, { logGroup: huge }), { ...incident, logGroup: huge }, context);
    // Assess
    expect(real.attributes.log_group).toBe(longest);
    expect(real.body).toContain(`Log group:   ${longest}\n`);
    expect(cut.attributes.log_group).toBe(`/${"€".repeat(341)}`);
    expect(cut.body).toContain(`Log group:   /${"€".repeat(341)}\n`);
    expect(cut.body.length).toBeLessThan(40_000);
  });

  it("keeps a summary of 10,000 episodes with 900 KB lines within the limits", () => {
    const episodes = Array.from({ length: 10_000 }, (_, i) => episode(i, { logGroup: `/aws/lambda/fn-${i % 700}` }));
    const lines = new Map(episodes.slice(-25).map((e) => [e.failureKey, { logGroup: e.logGroup, message: `ERROR ${"€".repeat(300_000)}`, severity: "ERROR" }]));
    // Act
    const summary = formatQuietSummary(episodes, lines, context);
    const input = publishInput("arn", summary);
    // Assess
    expect(violation(input)).toBeUndefined();
    expect(input.Subject).toBe("[RESOLVED] Quiet again: 10000 failures (700 log groups)");
    expect(summary.body.split("\n").slice(0, 6)).toEqual([
      "Quiet again: 10000 failures in 700 log groups",
      "",
      `10000 failures that alerted have not recurred for 15 minutes: about ${(10_000 * 10_001) / 2} occurrences over their episodes.`,
      "This one summary stands for their quiet-again notices (a storm ended).",
      "",
      "Top 25 by occurrences:",
    ]);
  });
});

describe("publishCommand through the SDK, to fauxqs behind the fault proxy, which refuses what SNS refuses", () => {
  let sns: LocalSns;
  let client: SNSClient;
  let topicArn: string;
  beforeAll(async () => {
    sns = await startLocalSns();
    topicArn = await sns.createTopic("alerts");
    client = new SNSClient({ endpoint: sns.endpoint, region: "eu-west-1", maxAttempts: 1, credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "example" } });
  });
  afterAll(async () => {
    client.destroy();
    await sns.stop();
  });

  it("is accepted for edge inputs (the SDK serializes it; the proxy checks the limits on what arrives)", async () => {
    await fc.assert(
      fc.asyncProperty(alert, async (message) => {
        await client.send(publishCommand(topicArn, message));
      }),
      { seed: SEED, numRuns: 25 },
    );
    expect(sns.proxy.refusedPublishes).toEqual([]);
    expect(await sns.received()).toHaveLength(sns.proxy.publishRequests.length);
  });

  it("refuses a 100-character subject, as SNS does (the proxy is not lenient, though fauxqs is)", async () => {
    await expect(
      client.send(new PublishCommand({ TopicArn: topicArn, Subject: "s".repeat(100), Message: "m" })),
    ).rejects.toThrow("Invalid parameter: Subject is 100 characters long: SNS takes less than 100");
  });
});
