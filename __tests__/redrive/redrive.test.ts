import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { LocalFauxqs, startFauxqs } from "../../lib/local-aws/fauxqs";
import { sqsDeadLetterQueue } from "../../lib/redrive/aws-adapters";
import { parseRedriveArgs, UsageError } from "../../lib/redrive/cli-options";
import { ProcessorInvoker, redrive } from "../../lib/redrive/redrive";

/**
 * The dead-letter queue is an SQS queue in fauxqs (SQS over its real API, npm), read through the same adapter
 * (`sqsDeadLetterQueue`) `npm run redrive` uses; each parked message is put there as Lambda puts a failed asynchronous
 * invocation: the event as the body, and the `ErrorMessage` attribute. Lambda has no local server here, so the
 * processor is a stand-in that fails on "poison" payloads.
 */
let fauxqs: LocalFauxqs;
let sqs: SQSClient;
let queues = 0;
beforeAll(async () => {
  fauxqs = await startFauxqs();
  sqs = new SQSClient({ endpoint: fauxqs.endpoint, region: "eu-west-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
});
afterAll(async () => {
  sqs.destroy();
  await fauxqs.stop();
});

interface Parked {
  readonly label: string;
  readonly body?: string;
  readonly originalError?: string;
}

/** A fresh dead-letter queue holding the messages; `ids` maps each label to the MessageId SQS gave it. */
async function deadLetterQueue(messages: readonly Parked[]) {
  const name = `log-monitor-test-dlq-${++queues}`;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const ids = new Map<string, string>();
  for (const parked of messages) {
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: parked.body ?? `{"awslogs":{"data":"${parked.label}"}}`,
        ...(parked.originalError === undefined ? {} : { MessageAttributes: { ErrorMessage: { DataType: "String", StringValue: parked.originalError } } }),
      }),
    );
    ids.set(parked.label, sent.MessageId as string);
  }
  const label = (id: string) => [...ids].find(([, messageId]) => messageId === id)?.[0] ?? id;
  const queue = await sqsDeadLetterQueue(sqs, name);
  return {
    queue,
    ids,
    label,
    /** The labels of the messages the queue holds and shows now (receiving them hides them). */
    async visible(): Promise<string[]> {
      const labels: string[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60, WaitTimeSeconds: 0 }));
        if (Messages.length === 0) return labels.sort();
        labels.push(...Messages.map((m) => label(m.MessageId as string)));
      }
    },
    /** How many messages the queue holds, shown and hidden. */
    async held(): Promise<{ visible: number; hidden: number }> {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
      );
      return { visible: Number(Attributes.ApproximateNumberOfMessages), hidden: Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
    },
    remove: () => sqs.send(new DeleteQueueCommand({ QueueUrl })),
  };
}

const processorFailingOn = (poison: string): ProcessorInvoker & { payloads: string[] } => {
  const payloads: string[] = [];
  return {
    payloads,
    async invoke(payload) {
      payloads.push(payload);
      return payload.includes(poison) ? "MalformedLogsEventError: awslogs.data is not valid base64" : undefined;
    },
  };
};

describe("redrive (the dead-letter queue in fauxqs)", () => {
  it("re-invokes the processor with each original event and deletes only what succeeded; a poison message stays", async () => {
    // Prepare
    const dlq = await deadLetterQueue([{ label: "m1" }, { label: "m2", body: "POISON", originalError: "DynamoDB throttled" }, { label: "m3" }]);
    const processor = processorFailingOn("POISON");

    // Act
    const summary = await redrive(dlq.queue, processor, { hideSeconds: 60 });

    // Assess: the poison message is hidden for the run, then shown again.
    expect(processor.payloads).toEqual(['{"awslogs":{"data":"m1"}}', "POISON", '{"awslogs":{"data":"m3"}}']);
    expect(summary).toMatchObject({ received: 3, redriven: 2, failed: 1, listed: 0 });
    expect(summary.outcomes.map((o) => [o.kind, dlq.label(o.id)])).toEqual([
      ["redriven", "m1"],
      ["failed", "m2"],
      ["redriven", "m3"],
    ]);
    expect(summary.outcomes.find((o) => o.kind === "failed")).toEqual({
      kind: "failed",
      id: dlq.ids.get("m2"),
      error: "MalformedLogsEventError: awslogs.data is not valid base64",
      originalError: "DynamoDB throttled",
    });
    // The queue holds one message (m1 and m3 were deleted), hidden for the rest of the run.
    expect(await dlq.held()).toEqual({ visible: 0, hidden: 1 });
    await dlq.remove();
  });

  it("does not retry a poison message forever within one run, even when the queue shows it again", async () => {
    // Prepare: messages hidden for no time at all, so SQS shows the poison message again at every receive.
    const dlq = await deadLetterQueue([{ label: "poison", body: "POISON" }]);
    const processor = processorFailingOn("POISON");

    // Act
    const summary = await redrive(dlq.queue, processor, { hideSeconds: 0 });

    // Assess
    expect(processor.payloads).toHaveLength(1);
    expect(summary).toMatchObject({ received: 1, failed: 1 });
    await dlq.remove();
  });

  it("keeps a message whose invocation could not even be made (throttled, network)", async () => {
    const dlq = await deadLetterQueue([{ label: "m1" }]);
    const processor: ProcessorInvoker = {
      invoke: async () => {
        throw Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" });
      },
    };

    const summary = await redrive(dlq.queue, processor, { hideSeconds: 0 });

    expect(summary.outcomes).toEqual([{ kind: "failed", id: dlq.ids.get("m1"), error: "TooManyRequestsException: Rate exceeded" }]);
    expect(await dlq.visible()).toEqual(["m1"]);
    await dlq.remove();
  });

  it("lists in a dry run, invoking and deleting nothing, and makes the messages visible again", async () => {
    const dlq = await deadLetterQueue([
      { label: "m1", body: "{}", originalError: "Task timed out after 60.00 seconds" },
      { label: "m2", body: "{ }" },
    ]);
    const processor = processorFailingOn("never");

    // Hidden for five minutes (the default) unless released.
    const summary = await redrive(dlq.queue, processor, { dryRun: true });

    expect(processor.payloads).toEqual([]);
    expect(summary.outcomes).toEqual([
      { kind: "listed", id: dlq.ids.get("m1"), bytes: 2, originalError: "Task timed out after 60.00 seconds" },
      { kind: "listed", id: dlq.ids.get("m2"), bytes: 3 },
    ]);
    expect(await dlq.visible()).toEqual(["m1", "m2"]);
    await dlq.remove();
  });

  it("handles at most --max messages", async () => {
    const dlq = await deadLetterQueue(Array.from({ length: 25 }, (_, i) => ({ label: `m${i}` })));
    const processor = processorFailingOn("never");

    const summary = await redrive(dlq.queue, processor, { max: 12 });

    expect(summary.redriven).toBe(12);
    expect(await dlq.queue.approximateSize()).toBe(13);
    expect(await dlq.visible()).toHaveLength(13);
    await dlq.remove();
  });

  it("reports each outcome as it happens, for the progress bar", async () => {
    const dlq = await deadLetterQueue([{ label: "m1" }, { label: "m2" }]);
    const seen: string[] = [];

    await redrive(dlq.queue, processorFailingOn("never"), { onOutcome: (o) => seen.push(`${o.kind}:${dlq.label(o.id)}`) });

    expect(seen).toEqual(["redriven:m1", "redriven:m2"]);
    await dlq.remove();
  });
});

describe("redrive command line", () => {
  it.each([
    [[], { dryRun: false, help: false }],
    [["--dry-run"], { dryRun: true, help: false }],
    [["--max", "5"], { dryRun: false, help: false, max: 5 }],
    [["--max=7", "--dry-run"], { dryRun: true, help: false, max: 7 }],
    [["--help"], { dryRun: false, help: true }],
  ])("parses %j", (args, expected) => {
    expect(parseRedriveArgs(args)).toEqual(expected);
  });

  it.each([
    [["--max"], "--max needs a value"],
    [["--max", "1", "--max=2"], '--max given twice ("1" and "2"): give it once'],
    [["--max", "0"], '--max takes a whole number of messages above 0, not "0"'],
    [["--max", "ten"], '--max takes a whole number of messages above 0, not "ten"'],
    [["--force"], 'unknown argument "--force"'],
  ])("rejects %j", (args, message) => {
    expect(() => parseRedriveArgs(args)).toThrow(UsageError);
    expect(() => parseRedriveArgs(args)).toThrow(message);
  });
});
