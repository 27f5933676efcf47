import { listenOnLoopback } from "../../lib/local-aws/loopback";
import dynalite from "dynalite";

/** A running in-memory dynalite server. */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_DYNAMODB` or a client's `endpoint`. */
  readonly endpoint: string;
  /** Closes every connection and stops the server. */
  stop(): Promise<void>;
}

/**
 * Starts dynalite on 127.0.0.1 on a free port, in memory, with tables ACTIVE as soon as they are created.
 *
 * dynalite v4 differs from DynamoDB in ways these tests must work around: no TransactWriteItems, no
 * UpdateTimeToLive, and BatchWriteItem never returns UnprocessedItems (so retries are tested with a wrapping client).
 */
export async function startDynalite(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  return listenOnLoopback(server);
}
