import { parseRedriveArgs, UsageError } from "../../lib/redrive/cli-options";
import { ParkedMessage, ProcessorInvoker, redrive } from "../../lib/redrive/redrive";
import { MemoryQueue } from "../support/memory-queue";

// SQS and Lambda have no local server here, so both are mocked: the in-memory queue of support/memory-queue.ts, and a
// processor that fails on "poison" payloads.
const message = (id: string, body = `{"awslogs":{"data":"${id}"}}`, originalError?: string): ParkedMessage => ({
  id,
  receiptHandle: `handle-${id}`,
  body,
  ...(originalError ? { originalError } : {}),
});

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

describe("redrive", () => {
  it("re-invokes the processor with each original event and deletes only what succeeded; a poison message stays", async () => {
    // Prepare
    const queue = new MemoryQueue([message("m1"), message("m2", "POISON", "DynamoDB throttled"), message("m3")]);
    const processor = processorFailingOn("POISON");

    // Act
    const summary = await redrive(queue, processor);

    // Assess
    expect(processor.payloads).toEqual(['{"awslogs":{"data":"m1"}}', "POISON", '{"awslogs":{"data":"m3"}}']);
    expect(queue.deleted).toEqual(["m1", "m3"]);
    expect(queue.messages.map((m) => m.id)).toEqual(["m2"]);
    expect(summary).toMatchObject({ received: 3, redriven: 2, failed: 1, listed: 0 });
    expect(summary.outcomes.find((o) => o.kind === "failed")).toEqual({
      kind: "failed",
      id: "m2",
      error: "MalformedLogsEventError: awslogs.data is not valid base64",
      originalError: "DynamoDB throttled",
    });
  });

  it("does not retry a poison message forever within one run, even when the queue shows it again", async () => {
    // Prepare: a queue that ignores hiding and always returns everything it holds.
    const queue = new MemoryQueue([message("poison", "POISON")]);
    queue.receive = async () => queue.messages;
    const processor = processorFailingOn("POISON");

    // Act
    const summary = await redrive(queue, processor);

    // Assess
    expect(processor.payloads).toHaveLength(1);
    expect(summary).toMatchObject({ received: 1, failed: 1 });
  });

  it("keeps a message whose invocation could not even be made (throttled, network)", async () => {
    const queue = new MemoryQueue([message("m1")]);
    const processor: ProcessorInvoker = {
      invoke: async () => {
        throw Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" });
      },
    };

    const summary = await redrive(queue, processor);

    expect(queue.deleted).toEqual([]);
    expect(summary.outcomes).toEqual([{ kind: "failed", id: "m1", error: "TooManyRequestsException: Rate exceeded" }]);
  });

  it("lists in a dry run, invoking and deleting nothing, and makes the messages visible again", async () => {
    const queue = new MemoryQueue([message("m1", "{}", "Task timed out after 60.00 seconds"), message("m2", "{ }")]);
    const processor = processorFailingOn("never");

    const summary = await redrive(queue, processor, { dryRun: true });

    expect(processor.payloads).toEqual([]);
    expect(queue.deleted).toEqual([]);
    expect(queue.released).toEqual(["m1", "m2"]);
    expect(summary.outcomes).toEqual([
      { kind: "listed", id: "m1", bytes: 2, originalError: "Task timed out after 60.00 seconds" },
      { kind: "listed", id: "m2", bytes: 3 },
    ]);
  });

  it("handles at most --max messages", async () => {
    const queue = new MemoryQueue(Array.from({ length: 25 }, (_, i) => message(`m${i}`)));
    const processor = processorFailingOn("never");

    const summary = await redrive(queue, processor, { max: 12 });

    expect(summary.redriven).toBe(12);
    expect(queue.messages).toHaveLength(13);
  });

  it("reports each outcome as it happens, for the progress bar", async () => {
    const queue = new MemoryQueue([message("m1"), message("m2")]);
    const seen: string[] = [];

    await redrive(queue, processorFailingOn("never"), { onOutcome: (o) => seen.push(`${o.kind}:${o.id}`) });

    expect(seen).toEqual(["redriven:m1", "redriven:m2"]);
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
