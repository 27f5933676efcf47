import { BatchWriteItemCommand, BatchWriteItemCommandOutput, WriteRequest } from "@aws-sdk/client-dynamodb";
import { mapWithConcurrency } from "./concurrency";
import { Incident } from "./incident";
import { toIncidentItem } from "./incident-item";
import { INCIDENT_ATTRIBUTES } from "./incident-schema";

/** Where incidents go. Writing the same incident twice must leave one item (writes are idempotent). */
export interface IncidentStore {
  /**
   * Writes every incident it can, or throws {@link IncidentWriteError} saying how many could not be written and
   * which (`failedIncidentIds`); every other incident is written by then.
   *
   * @param stopStartingAt when given, no DynamoDB call starts once it returns true (the invocation's deadline is
   *   near): neither a batch's first call nor a retry of its unprocessed items. Calls already in flight finish
   *   (the SDK's request timeout bounds them). What has not been written then counts as not written, so that the
   *   caller alerts for what was stored, with the time it kept for that, and fails for the rest, which Lambda's
   *   retry writes.
   */
  putAll(incidents: readonly Incident[], stopStartingAt?: () => boolean): Promise<void>;
}

/** The one DynamoDB call the store makes; `DynamoDBClient` satisfies it, and so does a test double. */
export interface BatchWriteClient {
  send(command: BatchWriteItemCommand): Promise<BatchWriteItemCommandOutput>;
}

/** Tuning and test seams of {@link DynamoDbIncidentStore}. */
export interface DynamoDbIncidentStoreOptions {
  /** The incidents table. */
  readonly tableName: string;
  /**
   * BatchWriteItem calls per batch, the first included, before unprocessed items are given up on.
   * @default 8
   */
  readonly maxAttempts?: number;
  /**
   * Batch requests in flight at once. Bounded so that a large delivery does not burst past the table's
   * capacity (which only produces more unprocessed items).
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * Backoff before the first retry; doubles each retry, up to `maxDelayMs`.
   * @default 50
   */
  readonly baseDelayMs?: number;
  /**
   * Upper bound of one backoff.
   * @default 5000
   */
  readonly maxDelayMs?: number;
  /**
   * Waits the given milliseconds. Tests pass one that records the delays instead of waiting.
   * @default setTimeout
   */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * A random number in [0, 1) for the jitter.
   * @default Math.random
   */
  readonly random?: () => number;
}

/**
 * Some incidents could not be written. Says how many of how many, to which table, and why, so that the
 * operator knows whether to raise capacity, fix permissions or create the table; Lambda then retries the
 * delivery and finally keeps it in the dead-letter queue.
 */
export class IncidentWriteError extends Error {
  /** The table written to. */
  public readonly tableName: string;
  /** Incidents not written. */
  public readonly failedCount: number;
  /** Distinct incidents in the call. */
  public readonly totalCount: number;
  /** Ids of the incidents not written (every other one was). */
  public readonly failedIncidentIds: ReadonlySet<string>;

  constructor(
    tableName: string,
    failedCount: number,
    totalCount: number,
    reasons: readonly string[],
    cause?: unknown,
    failedIncidentIds: ReadonlySet<string> = new Set(),
  ) {
    super(
      `Could not write ${failedCount} of ${totalCount} incidents to DynamoDB table "${tableName}": ${reasons.join("; ")}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = "IncidentWriteError";
    this.tableName = tableName;
    this.failedCount = failedCount;
    this.totalCount = totalCount;
    this.failedIncidentIds = failedIncidentIds;
  }
}

/** DynamoDB's limit of put requests in one BatchWriteItem call. */
export const MAX_BATCH_SIZE = 25;

const NOT_STARTED = "not started: the invocation's deadline came near";
const STILL_UNPROCESSED_AT_DEADLINE = "still unprocessed when the invocation's deadline came near";

interface BatchOutcome {
  /** Incident ids not written. */
  readonly failed: readonly string[];
  readonly reason?: string;
  readonly cause?: unknown;
}

/**
 * Writes incidents with BatchWriteItem: batches of at most 25 distinct ids (DynamoDB rejects a batch that names
 * a key twice), a bounded number of batches in flight, and unprocessed items retried with exponential backoff
 * and full jitter (the AWS Architecture Blog's "Exponential Backoff And Jitter") for a bounded number of attempts.
 *
 * Every batch is attempted even when another fails, because the writes are idempotent and the error then
 * reports the true number of incidents missing; but none, and no retry, starts once `stopStartingAt` says the
 * invocation's deadline is near. A batch DynamoDB refuses as a whole (`ValidationException`, for
 * example one item over the size limit) is split in halves until the item at fault stands alone, so that one
 * poison item costs only itself.
 */
export class DynamoDbIncidentStore implements IncidentStore {
  private readonly tableName: string;
  private readonly maxAttempts: number;
  private readonly concurrency: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly client: BatchWriteClient, options: DynamoDbIncidentStoreOptions) {
    this.tableName = options.tableName;
    this.maxAttempts = positiveInteger("maxAttempts", options.maxAttempts ?? 8);
    this.concurrency = positiveInteger("concurrency", options.concurrency ?? 4);
    this.baseDelayMs = options.baseDelayMs ?? 50;
    this.maxDelayMs = options.maxDelayMs ?? 5_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  async putAll(incidents: readonly Incident[], stopStartingAt: () => boolean = () => false): Promise<void> {
    // Same id means same event, hence the same item: keep one, so that no batch names a key twice.
    const distinct = [...new Map(incidents.map((incident) => [incident.incidentId, incident])).values()];
    const batches: WriteRequest[][] = [];
    for (let start = 0; start < distinct.length; start += MAX_BATCH_SIZE) {
      batches.push(
        distinct.slice(start, start + MAX_BATCH_SIZE).map((incident) => ({ PutRequest: { Item: toIncidentItem(incident) } })),
      );
    }

    const outcomes = (
      await mapWithConcurrency(batches, this.concurrency, (batch) => this.writeBatch(batch, stopStartingAt))
    ).flat();

    const failedIds = new Set(outcomes.flatMap((outcome) => outcome.failed));
    if (failedIds.size > 0) {
      const reasons = [...new Set(outcomes.flatMap((outcome) => (outcome.reason === undefined ? [] : [outcome.reason])))];
      const cause = outcomes.find((outcome) => outcome.cause !== undefined)?.cause;
      throw new IncidentWriteError(this.tableName, failedIds.size, distinct.length, reasons, cause, failedIds);
    }
  }

  private async writeBatch(batch: WriteRequest[], stopStartingAt: () => boolean): Promise<BatchOutcome[]> {
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      // Checked before every call, the first included: a batch waiting for a place among the concurrent ones, or a
      // backoff, can reach the deadline.
      if (stopStartingAt()) {
        return [{ failed: idsOf(pending), reason: attempt === 1 ? NOT_STARTED : STILL_UNPROCESSED_AT_DEADLINE }];
      }
      let output: BatchWriteItemCommandOutput;
      try {
        output = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } }));
      } catch (error) {
        const { name, message } = error as Error;
        if (name === "ValidationException" && pending.length > 1) {
          // DynamoDB refused the whole batch for something in it: isolate the item at fault.
          const half = Math.ceil(pending.length / 2);
          const halves = [pending.slice(0, half), pending.slice(half)];
          return (await Promise.all(halves.map((part) => this.writeBatch(part, stopStartingAt)))).flat();
        }
        // The SDK has already retried throttling and network errors by itself; what reaches us is final.
        return [{ failed: idsOf(pending), reason: `${name}: ${message}`, cause: error }];
      }
      pending = output.UnprocessedItems?.[this.tableName] ?? [];
      if (pending.length === 0) return [];
      if (attempt >= this.maxAttempts) {
        return [{ failed: idsOf(pending), reason: `still unprocessed after ${this.maxAttempts} attempts` }];
      }
      if (stopStartingAt()) return [{ failed: idsOf(pending), reason: STILL_UNPROCESSED_AT_DEADLINE }];
      await this.sleep(this.backoffMs(attempt));
    }
  }

  /** Full jitter: a uniformly random wait up to the capped exponential delay for this retry. */
  private backoffMs(retry: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (retry - 1));
    return Math.floor(this.random() * ceiling);
  }
}

function idsOf(requests: readonly WriteRequest[]): string[] {
  return requests.map((request) => request.PutRequest?.Item?.[INCIDENT_ATTRIBUTES.incidentId]?.S ?? "?");
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
