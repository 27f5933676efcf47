/**
 * Redrive: re-invokes the log processor with each event parked in its dead-letter queue, deleting a
 * message only after the processor succeeded on it. A message that fails again (a poison message) stays
 * in the queue and is reported; nothing is lost. On the Kinesis transport the queue holds descriptions of failed
 * batches (kinesis-batch.ts): their records are read back from the stream and replayed as the batch's event.
 */
import { KinesisBatchReader, kinesisBatchInfoOf, kinesisReplayEvent } from "./kinesis-batch";

/** A message received from the dead-letter queue. */
export interface ParkedMessage {
  /** SQS message id. */
  readonly id: string;
  /** Handle needed to delete the message or change its visibility. */
  readonly receiptHandle: string;
  /** The original asynchronous invocation's payload (Lambda's dead-letter queue keeps it as the body). */
  readonly body: string;
  /** Why the original invocation failed, from Lambda's `ErrorMessage` message attribute, when present. */
  readonly originalError?: string;
}

/** The dead-letter queue, as redrive needs it. */
export interface DeadLetterQueue {
  /** Receives up to `max` messages (at most 10), hiding them from other consumers for `hideSeconds`. */
  receive(max: number, hideSeconds: number): Promise<ParkedMessage[]>;
  /** Deletes a message that was processed. */
  delete(message: ParkedMessage): Promise<void>;
  /** Makes a message visible again at once (after a dry run looked at it). */
  release(message: ParkedMessage): Promise<void>;
}

/** The processor, invoked synchronously so that its outcome is known before the message is deleted. */
export interface ProcessorInvoker {
  /** Invokes the processor with the payload; resolves with its error message if it failed, undefined if it succeeded. */
  invoke(payload: string): Promise<string | undefined>;
}

/** What happened to one message. */
export type RedriveOutcome =
  | { readonly kind: "redriven"; readonly id: string }
  | { readonly kind: "failed"; readonly id: string; readonly error: string; readonly originalError?: string }
  | { readonly kind: "listed"; readonly id: string; readonly originalError?: string; readonly bytes: number };

/** Options of one redrive run. */
export interface RedriveOptions {
  /** Look, don't touch: list the messages, invoke nothing, delete nothing. @default false */
  readonly dryRun?: boolean;
  /** Handle at most this many messages. @default no limit */
  readonly max?: number;
  /**
   * Seconds a received message stays hidden while it is handled. A message that failed stays hidden for
   * this long too, so one run does not retry a poison message forever.
   * @default 300
   */
  readonly hideSeconds?: number;
  /** Called after each message, for progress reporting. */
  readonly onOutcome?: (outcome: RedriveOutcome) => void;
  /**
   * Reads a failed Kinesis batch's records back from the stream. @default none: a batch description is kept and
   * reported as not replayable
   */
  readonly kinesis?: KinesisBatchReader;
}

/** Counts of one run. */
export interface RedriveSummary {
  readonly received: number;
  readonly redriven: number;
  readonly failed: number;
  readonly listed: number;
  readonly outcomes: readonly RedriveOutcome[];
}

/** Drains the dead-letter queue through the processor (or lists it, in a dry run). */
export async function redrive(queue: DeadLetterQueue, processor: ProcessorInvoker, options: RedriveOptions = {}): Promise<RedriveSummary> {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const hideSeconds = options.hideSeconds ?? 300;
  const seen = new Set<string>();
  const outcomes: RedriveOutcome[] = [];
  const record = (outcome: RedriveOutcome) => {
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
  };

  while (seen.size < max) {
    const batch = await queue.receive(Math.min(10, max - seen.size), hideSeconds);
    const fresh = batch.filter((message) => !seen.has(message.id));
    // A dry run leaves every message visible: this receive hid those it had already listed and released once more.
    if (options.dryRun) for (const message of batch) if (seen.has(message.id)) await queue.release(message);
    // An empty receive means the queue is drained; only already-handled messages means it holds nothing new.
    if (fresh.length === 0) break;

    for (const message of fresh) {
      seen.add(message.id);
      if (options.dryRun) {
        record({ kind: "listed", id: message.id, bytes: Buffer.byteLength(message.body), ...originalErrorOf(message) });
        await queue.release(message);
        continue;
      }
      const payload = await payloadOf(message, options.kinesis);
      const error = "error" in payload ? payload.error : await invokeSafely(processor, payload.event);
      if (error === undefined) {
        await queue.delete(message);
        record({ kind: "redriven", id: message.id });
      } else {
        record({ kind: "failed", id: message.id, error, ...originalErrorOf(message) });
      }
    }
  }

  return {
    received: seen.size,
    redriven: outcomes.filter((o) => o.kind === "redriven").length,
    failed: outcomes.filter((o) => o.kind === "failed").length,
    listed: outcomes.filter((o) => o.kind === "listed").length,
    outcomes,
  };
}

/** The event to invoke the processor with: the message itself, or the Kinesis batch it describes, read back. */
async function payloadOf(message: ParkedMessage, kinesis: KinesisBatchReader | undefined): Promise<{ event: string } | { error: string }> {
  const info = kinesisBatchInfoOf(message.body);
  if (info === undefined) return { event: message.body };
  if (kinesis === undefined) return { error: "a Kinesis batch description, and no stream reader was given" };
  try {
    return { event: kinesisReplayEvent(info, await kinesis.read(info), "") };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

function originalErrorOf(message: ParkedMessage): { originalError?: string } {
  return message.originalError === undefined ? {} : { originalError: message.originalError };
}

async function invokeSafely(processor: ProcessorInvoker, payload: string): Promise<string | undefined> {
  try {
    return await processor.invoke(payload);
  } catch (error) {
    // A failed call (throttled, network) is a failure of this message, not of the run: keep the message.
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}
