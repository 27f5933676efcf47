import { BatchWriteItemCommand, BatchWriteItemCommandOutput, DynamoDBClient, WriteRequest } from "@aws-sdk/client-dynamodb";
import { decodeLogsEvent } from "../../../handlers/log-processor/decode";
import { buildIncidents, Incident } from "../../../handlers/log-processor/incident";
import { BatchWriteClient, DynamoDbIncidentStore, IncidentWriteError } from "../../../handlers/log-processor/incident-store";
import { processDelivery } from "../../../handlers/log-processor/process-delivery";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { createIncidentsTable, readAllIncidents } from "../../support/incidents-table";
import { dataMessage, logEvents, logsEvent } from "../../support/logs-payload";
import { localDynamoDbClient } from "../../support/test-dynamodb-client";

/** `count` distinct incidents, built the way the handler builds them. */
function sampleIncidents(count: number): Incident[] {
  const messages = Array.from({ length: count }, (_, i) => `ERROR: order ${i} could not be saved`);
  return buildIncidents(decodeLogsEvent(logsEvent(dataMessage(logEvents(messages)))), { ttlDays: 30 });
}

/** Records the waits the store asks for instead of waiting. */
function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

/** What one BatchWriteItem call asked for. */
interface RecordedCall {
  readonly tableName: string;
  readonly requests: readonly WriteRequest[];
}

/**
 * Wraps the real dynalite client. dynalite never returns UnprocessedItems (real DynamoDB does under throttling),
 * so to test the retries this wrapper holds back some requests of a call, returning them as UnprocessedItems
 * without sending them, and sends the rest to dynalite for real. It also records every call and how many were in
 * flight at once.
 */
class UnprocessedItemsClient implements BatchWriteClient {
  readonly calls: RecordedCall[] = [];
  maxInFlight = 0;
  private inFlight = 0;

  constructor(
    private readonly real: DynamoDBClient,
    /** How many of a call's requests to hold back, given the call's 1-based number. */
    private readonly holdBack: (callNumber: number, requests: readonly WriteRequest[]) => number = () => 0,
  ) {}

  async send(command: BatchWriteItemCommand): Promise<BatchWriteItemCommandOutput> {
    const [tableName, requests] = Object.entries(command.input.RequestItems ?? {})[0] as [string, WriteRequest[]];
    this.calls.push({ tableName, requests });
    const held = Math.min(requests.length, this.holdBack(this.calls.length, requests));
    const toSend = requests.slice(0, requests.length - held);
    const unprocessed = requests.slice(requests.length - held);

    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const output =
        toSend.length > 0
          ? await this.real.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: toSend } }))
          : { $metadata: {} };
      return { ...output, UnprocessedItems: unprocessed.length > 0 ? { [tableName]: unprocessed } : {} };
    } finally {
      this.inFlight--;
    }
  }
}

describe("DynamoDbIncidentStore against dynalite", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let tableCounter = 0;
  let tableName: string;

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
  });

  afterAll(async () => {
    client.destroy();
    await dynamo.stop();
  });

  beforeEach(async () => {
    // A fresh table per test keeps the tests independent.
    tableName = `incidents-store-${++tableCounter}`;
    await createIncidentsTable(client, tableName);
  });

  it("writes every incident in batches of at most 25", async () => {
    // Prepare
    const incidents = sampleIncidents(60);
    const recorder = new UnprocessedItemsClient(client);
    const store = new DynamoDbIncidentStore(recorder, { tableName });
    // Act
    await store.putAll(incidents);
    // Assess
    expect(recorder.calls.map((call) => call.requests.length)).toEqual([25, 25, 10]);
    expect(await readAllIncidents(client, tableName)).toStrictEqual(
      [...incidents].sort((a, b) => a.incidentId.localeCompare(b.incidentId)),
    );
  });

  it("sends each id once, because DynamoDB rejects a batch that names a key twice", async () => {
    // Prepare
    const [first, second] = sampleIncidents(2) as [Incident, Incident];
    const recorder = new UnprocessedItemsClient(client);
    const store = new DynamoDbIncidentStore(recorder, { tableName });
    // Act
    await store.putAll([first, second, first]);
    // Assess
    expect(recorder.calls.map((call) => call.requests.length)).toEqual([2]);
    expect(await readAllIncidents(client, tableName)).toHaveLength(2);
  });

  it("keeps at most the configured number of batches in flight", async () => {
    // Prepare
    const recorder = new UnprocessedItemsClient(client);
    const store = new DynamoDbIncidentStore(recorder, { tableName, concurrency: 4 });
    // Act
    await store.putAll(sampleIncidents(250));
    // Assess: ten batches, never more than four at once, and four were used.
    expect(recorder.calls).toHaveLength(10);
    expect(recorder.maxInFlight).toBe(4);
  });

  it("does not call DynamoDB for an empty list", async () => {
    // Prepare
    const recorder = new UnprocessedItemsClient(client);
    const store = new DynamoDbIncidentStore(recorder, { tableName });
    // Act
    await store.putAll([]);
    // Assess
    expect(recorder.calls).toHaveLength(0);
  });

  it("retries unprocessed items with exponential backoff and full jitter until all are written", async () => {
    // Prepare: the first two calls leave 10 and then 4 items unprocessed.
    const incidents = sampleIncidents(20);
    const heldBack = new Map([
      [1, 10],
      [2, 4],
    ]);
    const flaky = new UnprocessedItemsClient(client, (call) => heldBack.get(call) ?? 0);
    const { sleep, delays } = recordingSleep();
    const store = new DynamoDbIncidentStore(flaky, { tableName, sleep, random: () => 0.5, baseDelayMs: 50 });
    // Act
    await store.putAll(incidents);
    // Assess: each retry sends only what was left, after half (random 0.5) of 50 ms, then of 100 ms.
    expect(flaky.calls.map((call) => call.requests.length)).toEqual([20, 10, 4]);
    expect(delays).toEqual([25, 50]);
    expect(await readAllIncidents(client, tableName)).toHaveLength(20);
  });

  it("caps each backoff at maxDelayMs", async () => {
    // Prepare: one item stays unprocessed for seven calls, then goes through.
    const flaky = new UnprocessedItemsClient(client, (call) => (call <= 7 ? 1 : 0));
    const { sleep, delays } = recordingSleep();
    const store = new DynamoDbIncidentStore(flaky, {
      tableName,
      sleep,
      random: () => 0.5,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      maxAttempts: 8,
    });
    // Act
    await store.putAll(sampleIncidents(3));
    // Assess: 100, 200, 400, 800, then the 1000 ms cap, each halved by the jitter.
    expect(delays).toEqual([50, 100, 200, 400, 500, 500, 500]);
  });

  it("gives up after maxAttempts and says how many incidents were not written to which table", async () => {
    // Prepare: the last 3 requests of every call stay unprocessed.
    const incidents = sampleIncidents(10);
    const stubborn = new UnprocessedItemsClient(client, () => 3);
    const { sleep, delays } = recordingSleep();
    const store = new DynamoDbIncidentStore(stubborn, { tableName, sleep, random: () => 0.5, maxAttempts: 3 });
    // Act
    const failure = store.putAll(incidents);
    // Assess
    await expect(failure).rejects.toThrow(
      new Error(`Could not write 3 of 10 incidents to DynamoDB table "${tableName}": still unprocessed after 3 attempts`),
    );
    await expect(failure).rejects.toBeInstanceOf(IncidentWriteError);
    await expect(failure).rejects.toMatchObject({ tableName, failedCount: 3, totalCount: 10 });
    expect(stubborn.calls.map((call) => call.requests.length)).toEqual([10, 3, 3]);
    expect(delays).toEqual([25, 50]);
    expect(await readAllIncidents(client, tableName)).toHaveLength(7);
  });

  it("reports a DynamoDB error with the table and the count, keeping the SDK error as the cause", async () => {
    // Prepare: a table that does not exist.
    const store = new DynamoDbIncidentStore(client, { tableName: "no-such-table" });
    // Act
    const failure = store.putAll(sampleIncidents(30));
    // Assess
    await expect(failure).rejects.toMatchObject({
      name: "IncidentWriteError",
      message:
        'Could not write 30 of 30 incidents to DynamoDB table "no-such-table": ResourceNotFoundException: Requested resource not found',
      cause: { name: "ResourceNotFoundException" },
    });
  });

  describe("when the invocation's deadline comes near (an injected clock, advanced by each call)", () => {
    /** A clock that DynamoDB calls advance, and the deadline check the processor derives from it. */
    function clockedClient(msPerCall: number, holdBack: (call: number) => number = () => 0) {
      const clock = { nowMs: 0 };
      const client_ = new UnprocessedItemsClient(client, (call) => {
        clock.nowMs += msPerCall;
        return holdBack(call);
      });
      return { clock, client: client_, nearDeadline: (stopStartingAtMs: number) => () => clock.nowMs >= stopStartingAtMs };
    }

    it("starts no new batch once the deadline is near, and names every incident of the batches not started", async () => {
      // Prepare: 100 incidents (four batches), one batch at a time, each call taking 1 s; stop starting at 2 s.
      const incidents = sampleIncidents(100);
      const { client: clocked, nearDeadline } = clockedClient(1000);
      const store = new DynamoDbIncidentStore(clocked, { tableName, concurrency: 1 });
      // Act
      const failure = await store.putAll(incidents, nearDeadline(2000)).catch((e: unknown) => e);
      // Assess: two batches written, the other two never sent, and the error says which 50 incidents are missing.
      expect(clocked.calls.map((call) => call.requests.length)).toEqual([25, 25]);
      expect(failure).toBeInstanceOf(IncidentWriteError);
      expect((failure as IncidentWriteError).message).toBe(
        `Could not write 50 of 100 incidents to DynamoDB table "${tableName}": not started: the invocation's deadline came near`,
      );
      expect([...(failure as IncidentWriteError).failedIncidentIds].sort()).toEqual(
        incidents.slice(50).map((incident) => incident.incidentId).sort(),
      );
      expect(await readAllIncidents(client, tableName)).toHaveLength(50);
    });

    it("lets the calls in flight finish, and starts none after them", async () => {
      // Prepare: 250 incidents (ten batches), four in flight; the clock passes the deadline with the first four calls.
      const incidents = sampleIncidents(250);
      const { client: clocked, nearDeadline } = clockedClient(1000);
      const store = new DynamoDbIncidentStore(clocked, { tableName, concurrency: 4 });
      // Act
      const failure = (await store.putAll(incidents, nearDeadline(4000)).catch((e: unknown) => e)) as IncidentWriteError;
      // Assess
      expect(clocked.calls).toHaveLength(4);
      expect(failure.failedCount).toBe(150);
      expect(await readAllIncidents(client, tableName)).toHaveLength(100);
    });

    it("does not retry unprocessed items once the deadline is near", async () => {
      // Prepare: the first call leaves 5 of 20 unprocessed and takes the clock to the deadline.
      const incidents = sampleIncidents(20);
      const { client: clocked, nearDeadline } = clockedClient(1000, (call) => (call === 1 ? 5 : 0));
      const { sleep, delays } = recordingSleep();
      const store = new DynamoDbIncidentStore(clocked, { tableName, sleep });
      // Act
      const failure = store.putAll(incidents, nearDeadline(1000));
      // Assess
      await expect(failure).rejects.toThrow(
        `Could not write 5 of 20 incidents to DynamoDB table "${tableName}": still unprocessed when the invocation's deadline came near`,
      );
      expect(clocked.calls).toHaveLength(1);
      expect(delays).toEqual([]);
    });

    it("through processDelivery: the deadline from the injected clock stops the batches, and the delivery fails for the rest", async () => {
      // Prepare: 60 errors (three batches); each call takes 1 s on the processor's clock; stop starting at 1 s.
      const messages = Array.from({ length: 60 }, (_, i) => `ERROR: order ${i} could not be saved`);
      const { clock, client: clocked } = clockedClient(1000);
      const store = new DynamoDbIncidentStore(clocked, { tableName, concurrency: 1 });
      // Act
      const failure = await processDelivery(logsEvent(dataMessage(logEvents(messages))), {
        store,
        ttlDays: 30,
        log: () => undefined,
        now: () => clock.nowMs,
        deadline: { deadlineMs: 5000, stopStartingAtMs: 1000 },
      }).catch((e: unknown) => e);
      // Assess: one batch written; the error names the 35 others, which Lambda's retry writes.
      expect(clocked.calls).toHaveLength(1);
      expect(failure).toBeInstanceOf(IncidentWriteError);
      expect((failure as IncidentWriteError).failedCount).toBe(35);
      expect(await readAllIncidents(client, tableName)).toHaveLength(25);
    });

    it("writes nothing, and says so for every incident, when the deadline is already near", async () => {
      // Prepare
      const incidents = sampleIncidents(30);
      const { client: clocked, nearDeadline } = clockedClient(1000);
      const store = new DynamoDbIncidentStore(clocked, { tableName });
      // Act
      const failure = (await store.putAll(incidents, nearDeadline(0)).catch((e: unknown) => e)) as IncidentWriteError;
      // Assess
      expect(clocked.calls).toHaveLength(0);
      expect(failure.failedIncidentIds.size).toBe(30);
    });
  });

  it.each([
    ["maxAttempts", { maxAttempts: 0 }, "maxAttempts must be a positive integer, got 0"],
    ["concurrency", { concurrency: 1.5 }, "concurrency must be a positive integer, got 1.5"],
  ])("rejects a %s that is not a positive integer", (_name, options, message) => {
    // Act / Assess
    expect(() => new DynamoDbIncidentStore(client, { tableName, ...options })).toThrow(new RangeError(message));
  });
});
