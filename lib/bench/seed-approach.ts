import { PutItemCommand, PutItemCommandOutput } from "@aws-sdk/client-dynamodb";
import { decodeLogsEvent } from "../../handlers/log-processor/decode";
import { buildIncidents } from "../../handlers/log-processor/incident";
import { toIncidentItem } from "../../handlers/log-processor/incident-item";

/** The one call the seed approach makes; `DynamoDBClient` satisfies it. */
export interface PutItemClient {
  send(command: PutItemCommand): Promise<PutItemCommandOutput>;
}

/**
 * The seed plan's approach, for comparison: the same decoding, classification and items as the processor, then
 * one PutItem per error, one after the other. Only the writing differs from the real processor's.
 *
 * @returns the number of incidents written.
 */
export async function seedProcessDelivery(event: unknown, client: PutItemClient, tableName: string): Promise<number> {
  const incidents = buildIncidents(decodeLogsEvent(event), { ttlDays: 30 });
  for (const incident of incidents) {
    await client.send(new PutItemCommand({ TableName: tableName, Item: toIncidentItem(incident) }));
  }
  return incidents.length;
}
