import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { Incident } from "./incident";
import { INCIDENT_ATTRIBUTES } from "./incident-schema";
import { SEVERITIES, Severity } from "./severity";

/** A DynamoDB item in the low-level attribute-value form BatchWriteItem and Query use. */
export type DynamoDbItem = Record<string, AttributeValue>;

type IncidentKey = keyof Incident;

// One entry per Incident property, and each key must also be a key of INCIDENT_ATTRIBUTES (the lookup below),
// so an attribute added to one side and not the other is a compile error rather than a silently missing field.
const KINDS: { readonly [K in IncidentKey]-?: "S" | "N" } = {
  incidentId: "S",
  logGroup: "S",
  logStream: "S",
  eventId: "S",
  occurredAt: "S",
  timestampMs: "N",
  severity: "S",
  message: "S",
  requestId: "S",
  errorType: "S",
  fingerprint: "S",
  expiresAt: "N",
};

const KEYS = Object.keys(KINDS) as IncidentKey[];

/**
 * The incident as a DynamoDB item, marshalled by hand (strings as `S`, numbers as `N`) under the attribute names
 * of `INCIDENT_ATTRIBUTES`. Optional properties that are absent are left out rather than stored empty.
 */
export function toIncidentItem(incident: Incident): DynamoDbItem {
  const item: DynamoDbItem = {};
  for (const key of KEYS) {
    const value = incident[key];
    if (value === undefined) continue;
    item[INCIDENT_ATTRIBUTES[key]] = KINDS[key] === "N" ? { N: String(value) } : { S: String(value) };
  }
  return item;
}

/**
 * Reads an incident back from a DynamoDB item (for queries, tools and tests).
 *
 * @throws TypeError naming the attribute when a required one is missing or has the wrong type.
 */
export function fromIncidentItem(item: DynamoDbItem): Incident {
  const values: Partial<Record<IncidentKey, string | number>> = {};
  for (const key of KEYS) {
    const name = INCIDENT_ATTRIBUTES[key];
    const attribute = item[name];
    if (attribute === undefined) continue;
    if (KINDS[key] === "N") {
      if (attribute.N === undefined) throw new TypeError(`incident attribute ${name} must be a number (N)`);
      values[key] = Number(attribute.N);
    } else {
      if (attribute.S === undefined) throw new TypeError(`incident attribute ${name} must be a string (S)`);
      values[key] = attribute.S;
    }
  }
  const severity = values.severity;
  if (!SEVERITIES.includes(severity as Severity)) {
    throw new TypeError(
      `incident attribute ${INCIDENT_ATTRIBUTES.severity} must be one of ${SEVERITIES.join(", ")}, got ${String(severity)}`,
    );
  }
  for (const key of KEYS) {
    if (key !== "requestId" && key !== "errorType" && values[key] === undefined) {
      throw new TypeError(`incident attribute ${INCIDENT_ATTRIBUTES[key]} is missing`);
    }
  }
  return values as unknown as Incident;
}
