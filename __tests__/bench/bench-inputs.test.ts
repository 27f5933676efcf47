import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { decodeLogsEvent } from "../../handlers/log-processor/decode";
import { buildIncidents } from "../../handlers/log-processor/incident";
import { DynamoDbIncidentStore } from "../../handlers/log-processor/incident-store";
import { seedProcessDelivery } from "../../lib/bench/seed-approach";
import { median } from "../../lib/bench/stats";
import { MAX_DELIVERY_BYTES, maximumSizeDelivery, syntheticDelivery } from "../../lib/bench/synthetic-deliveries";
import { incidentsTableInput } from "../../lib/bench/throughput";
import { LocalDynamoDb, startDynalite } from "../support/dynalite";
import { readAllIncidents } from "../support/incidents-table";
import { localDynamoDbClient } from "../support/test-dynamodb-client";

/**
 * What `npm run bench` compares must be comparable: the synthetic deliveries hold what their names say, and the
 * seed approach writes exactly the items the processor writes. (No timing is asserted here; the benchmark itself
 * only reports.)
 */
describe("benchmark inputs", () => {
  it.each([
    ["1,000 events, all errors", 1000, 1, 1000],
    ["10,000 events, 10% errors", 10_000, 0.1, 1000],
  ])("%s: the processor finds exactly the errors the delivery claims", (name, events, share, errors) => {
    // Act
    const delivery = syntheticDelivery(name, events, share);
    const payload = decodeLogsEvent(delivery.event);
    // Assess
    expect(delivery).toMatchObject({ name, events, errors });
    expect(payload.messageType === "DATA_MESSAGE" ? payload.logEvents.length : 0).toBe(events);
    expect(buildIncidents(payload, { ttlDays: 30 })).toHaveLength(errors);
  });

  it("the maximum-size delivery fills 1 MB with errors and is the same on every run", () => {
    // Act
    const delivery = maximumSizeDelivery();
    const again = maximumSizeDelivery();
    // Assess
    expect(delivery.payloadBytes).toBeLessThanOrEqual(MAX_DELIVERY_BYTES);
    expect(delivery.payloadBytes).toBeGreaterThan(MAX_DELIVERY_BYTES - 5_000);
    expect(buildIncidents(decodeLogsEvent(delivery.event), { ttlDays: 30 })).toHaveLength(delivery.errors);
    expect(delivery.errors).toBe(delivery.events);
    expect(again.event.awslogs.data).toBe(delivery.event.awslogs.data);
  });

  it("computes medians of odd and even counts", () => {
    // Act / Assess
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(new RangeError("median of no values"));
  });

  describe("against dynalite", () => {
    let dynamo: LocalDynamoDb;
    let client: DynamoDBClient;

    beforeAll(async () => {
      dynamo = await startDynalite();
      client = localDynamoDbClient(dynamo.endpoint);
      await client.send(new CreateTableCommand(incidentsTableInput("seed")));
      await client.send(new CreateTableCommand(incidentsTableInput("processor")));
    });

    afterAll(async () => {
      client.destroy();
      await dynamo.stop();
    });

    it("the seed approach writes exactly the items the processor writes", async () => {
      // Prepare
      const delivery = syntheticDelivery("200 events, half errors", 200, 0.5);
      // Act
      const written = await seedProcessDelivery(delivery.event, client, "seed");
      await new DynamoDbIncidentStore(client, { tableName: "processor" }).putAll(
        buildIncidents(decodeLogsEvent(delivery.event), { ttlDays: 30 }),
      );
      // Assess
      expect(written).toBe(100);
      expect(await readAllIncidents(client, "seed")).toStrictEqual(await readAllIncidents(client, "processor"));
    });
  });
});
