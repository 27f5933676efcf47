import { BatchWriteItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { decodeLogsEvent } from "../../../handlers/log-processor/decode";
import { buildIncidents, fitItemLimit, Incident } from "../../../handlers/log-processor/incident";
import { itemSizeBytes, MAX_ITEM_BYTES, toIncidentItem } from "../../../handlers/log-processor/incident-item";
import { DynamoDbIncidentStore, IncidentWriteError } from "../../../handlers/log-processor/incident-store";
import { processDelivery } from "../../../handlers/log-processor/process-delivery";
import { toWellFormed } from "../../../handlers/log-processor/well-formed";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { createIncidentsTable, readAllIncidents } from "../../support/incidents-table";
import { dataMessage, logEvents, logsEvent } from "../../support/logs-payload";
import { localDynamoDbClient } from "../../support/test-dynamodb-client";

const incidentsOf = (messages: string[]): Incident[] =>
  buildIncidents(decodeLogsEvent(logsEvent(dataMessage(logEvents(messages)))), { ttlDays: 30 });

describe("the 400 KB item limit, against dynalite (which enforces it)", () => {
  // "The maximum item size in DynamoDB is 400 KB, which includes both attribute name binary length (UTF-8 length)
  // and attribute value lengths" (Amazon DynamoDB Developer Guide, "Constraints in Amazon DynamoDB", Items);
  // sizes are counted as in "DynamoDB item sizes and formats"
  // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html).
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let table = 0;
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
    tableName = `incidents-limit-${++table}`;
    await createIncidentsTable(client, tableName);
  });

  const put = (incident: Incident) =>
    client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: [{ PutRequest: { Item: toIncidentItem(incident) } }] } }));

  it("accepts an item of exactly 400 KB (names and string values), and refuses one byte more", async () => {
    // Prepare: string attributes only, whose size the guide defines exactly (name bytes plus value bytes).
    const item = (id: string, bytes: number) => ({
      incident_id: { S: id },
      message: { S: "m".repeat(bytes - "incident_id".length - id.length - "message".length) },
    });
    expect(itemSizeBytes(item("a", MAX_ITEM_BYTES))).toBe(409_600);
    const send = (i: ReturnType<typeof item>) =>
      client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: [{ PutRequest: { Item: i } }] } }));
    // Act / Assess
    await expect(send(item("a", MAX_ITEM_BYTES))).resolves.toBeDefined();
    await expect(send(item("b", MAX_ITEM_BYTES + 1))).rejects.toThrow("Item size has exceeded the maximum allowed size");
  });

  it("never counts an incident smaller than DynamoDB does: an incident at the limit as counted here is accepted", async () => {
    // Prepare: pad the message so that the item is exactly MAX_ITEM_BYTES by this module's count.
    const [base] = incidentsOf(["ERROR: edge"]) as [Incident];
    const atLimit = { ...base, message: base.message + "e".repeat(MAX_ITEM_BYTES - itemSizeBytes(toIncidentItem(base))) };
    expect(itemSizeBytes(toIncidentItem(atLimit))).toBe(MAX_ITEM_BYTES);
    // Act / Assess
    await expect(put(atLimit)).resolves.toBeDefined();
    expect(fitItemLimit(atLimit)).toBe(atLimit);
  });

  it("cuts a 1 MB line to fit, keeping its original size and a flag, and dynalite takes it", async () => {
    // Prepare: CloudWatch Logs events may be up to 1 MB (AWS What's New 2025-04, "CloudWatch Logs increases
    // maximum log event size to 1 MB"); in multi-byte characters, so the cut must fall on a character boundary.
    const line = `ERROR: bad payload ${"é".repeat(512 * 1024)}`;
    // Act
    const [incident] = incidentsOf([line]) as [Incident];
    // Assess
    expect(incident.messageTruncated).toBe(true);
    expect(incident.messageBytes).toBe(Buffer.byteLength(line));
    expect(itemSizeBytes(toIncidentItem(incident))).toBeLessThanOrEqual(MAX_ITEM_BYTES);
    expect(line.startsWith(incident.message)).toBe(true);
    expect(incident.message.length).toBeGreaterThan(190_000);
    await expect(put(incident)).resolves.toBeDefined();
    const [stored] = await readAllIncidents(client, tableName);
    expect(stored).toStrictEqual(incident);
  });

  it("leaves an incident that fits untouched", () => {
    // Prepare
    const [incident] = incidentsOf(["ERROR: small"]) as [Incident];
    // Act / Assess
    expect(fitItemLimit(incident)).toBe(incident);
    expect(incident.messageTruncated).toBeUndefined();
  });

  it("stores every error of a delivery holding a 6,000-deep JSON line, huge error types and request ids, and a 1 MB line", async () => {
    // Prepare: the 12 KB line of 6,000 nested arrays that made JSON.stringify throw while incidents were built
    // (so that nothing was written and every retry failed the same way), lines whose error type or request id alone
    // exceed the item limit, a 1 MB line (CloudWatch Logs' event limit since April 2025), and ordinary errors.
    const deep = `{"level":"error","message":${"[".repeat(6000)}"disk full"${"]".repeat(6000)}}`;
    const hugeType = `{"level":"error","errorType":"${"Ledger".repeat(100_000)}Error","errorMessage":"out of balance"}`;
    const hugeRequestId = `2024-05-01T12:00:00.123Z\t${"r".repeat(500_000)}\tERROR\tpayment failed`;
    const oneMegabyte = `ERROR: payload rejected ${"é".repeat(512 * 1024 - 16)}`;
    const messages = ["ERROR: job 1 failed", deep, "INFO: still here", hugeType, hugeRequestId, oneMegabyte, "ERROR: job 2 failed"];
    const event = logsEvent(dataMessage(logEvents(messages)));
    const store = new DynamoDbIncidentStore(client, { tableName });
    // Act: the handler's path, decode to BatchWriteItem, against dynalite, which refuses items over 400 KB.
    const summary = await processDelivery(event, { store, ttlDays: 30, log: () => undefined });
    // Assess: six incidents stored, none of them by the fallback, each attribute over its cap cut and measured.
    expect(summary.incidents_created).toBe(6);
    const stored = new Map((await readAllIncidents(client, tableName)).map((incident) => [incident.message.slice(0, 30), incident]));
    expect(stored.size).toBe(6);
    for (const incident of stored.values()) {
      expect(incident.classificationFailed).toBeUndefined();
      expect(itemSizeBytes(toIncidentItem(incident))).toBeLessThanOrEqual(MAX_ITEM_BYTES);
    }
    expect(stored.get(deep.slice(0, 30))).toMatchObject({ severity: "ERROR", message: deep });
    expect(stored.get(hugeType.slice(0, 30))).toMatchObject({
      errorType: "Ledger".repeat(512 / 6) + "Le",
      errorTypeTruncated: true,
      errorTypeBytes: 600_005,
    });
    expect(stored.get(hugeRequestId.slice(0, 30))).toMatchObject({
      requestId: "r".repeat(256),
      requestIdTruncated: true,
      requestIdBytes: 500_000,
      messageTruncated: true,
    });
    expect(stored.get(oneMegabyte.slice(0, 30))).toMatchObject({ messageTruncated: true, messageBytes: Buffer.byteLength(oneMegabyte) });
  });

  it("isolates an item DynamoDB refuses: the rest of its batch is written, and the error names only it", async () => {
    // Prepare: 25 incidents (one full batch), one of them too large (built without the cut, as a poison item).
    const incidents = incidentsOf(Array.from({ length: 25 }, (_, i) => `ERROR: job ${i} failed`));
    const poison = { ...(incidents[12] as Incident), message: "x".repeat(MAX_ITEM_BYTES) };
    const store = new DynamoDbIncidentStore(client, { tableName });
    // Act
    const result = store.putAll([...incidents.slice(0, 12), poison, ...incidents.slice(13)]);
    // Assess
    const error = (await result.catch((e: unknown) => e)) as IncidentWriteError;
    expect(error).toBeInstanceOf(IncidentWriteError);
    expect(error.message).toBe(
      `Could not write 1 of 25 incidents to DynamoDB table "${tableName}": ValidationException: Item size has exceeded the maximum allowed size`,
    );
    expect([...error.failedIncidentIds]).toEqual([poison.incidentId]);
    expect(await readAllIncidents(client, tableName)).toHaveLength(24);
  });
});

describe("toWellFormed", () => {
  it("replaces lone surrogates with U+FFFD and keeps pairs", () => {
    // Act / Assess
    expect(toWellFormed("a\uD800b\uDC00c\uD83D\uDE00")).toBe("a\uFFFDb\uFFFDc\uD83D\uDE00");
    expect(toWellFormed("end\uD83D")).toBe("end\uFFFD");
  });

  it("makes incidents well-formed before they reach the SDK", () => {
    // Act
    const [incident] = incidentsOf(["ERROR: broken \uD83D text"]) as [Incident];
    // Assess
    expect(incident.message).toBe("ERROR: broken \uFFFD text");
  });
});
