import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { Incident } from "./incident";
import { fingerprintShardKey, fingerprintShardOf, INCIDENT_ATTRIBUTES, logGroupShardKey, logGroupShardOf } from "./incident-schema";
import { SEVERITIES, Severity } from "./severity";

/** A DynamoDB item in the low-level attribute-value form BatchWriteItem and Query use. */
export type DynamoDbItem = Record<string, AttributeValue>;

type IncidentKey = keyof Incident & keyof typeof INCIDENT_ATTRIBUTES;

// One entry per Incident property, and each key must also be a key of INCIDENT_ATTRIBUTES (the lookup below),
// so an attribute added to one side and not the other is a compile error rather than a silently missing field.
const KINDS: { readonly [K in IncidentKey]-?: "S" | "N" | "BOOL" } = {
  incidentId: "S",
  logGroup: "S",
  accountId: "S",
  logStream: "S",
  eventId: "S",
  occurredAt: "S",
  timestampMs: "N",
  severity: "S",
  message: "S",
  requestId: "S",
  errorType: "S",
  release: "S",
  fingerprint: "S",
  expiresAt: "N",
  messageTruncated: "BOOL",
  messageBytes: "N",
  logGroupTruncated: "BOOL",
  logGroupBytes: "N",
  accountIdTruncated: "BOOL",
  accountIdBytes: "N",
  logStreamTruncated: "BOOL",
  logStreamBytes: "N",
  eventIdTruncated: "BOOL",
  eventIdBytes: "N",
  requestIdTruncated: "BOOL",
  requestIdBytes: "N",
  errorTypeTruncated: "BOOL",
  errorTypeBytes: "N",
  releaseTruncated: "BOOL",
  releaseBytes: "N",
  classificationFailed: "BOOL",
  classificationError: "S",
};

const OPTIONAL: readonly IncidentKey[] = [
  "accountId",
  "requestId",
  "errorType",
  "release",
  "messageTruncated",
  "messageBytes",
  "logGroupTruncated",
  "logGroupBytes",
  "accountIdTruncated",
  "accountIdBytes",
  "logStreamTruncated",
  "logStreamBytes",
  "eventIdTruncated",
  "eventIdBytes",
  "requestIdTruncated",
  "requestIdBytes",
  "errorTypeTruncated",
  "errorTypeBytes",
  "releaseTruncated",
  "releaseBytes",
  "classificationFailed",
  "classificationError",
];

/**
 * DynamoDB's item size limit: "The maximum item size in DynamoDB is 400 KB, which includes both attribute name
 * binary length (UTF-8 length) and attribute value lengths (again binary length)" (Amazon DynamoDB Developer
 * Guide, "Constraints in Amazon DynamoDB", Items); DynamoDB counts 1 KB as 1024 bytes.
 */
export const MAX_ITEM_BYTES = 400 * 1024;

/**
 * An upper bound of the size DynamoDB counts for an item, after the Developer Guide's "DynamoDB item sizes and
 * formats" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * a string is its name's UTF-8 bytes plus its own; a number its name plus "approximately" one byte per two
 * significant digits plus one (one byte more here, so that the estimate is never below DynamoDB's count); a Boolean
 * its name plus one byte.
 */
export function itemSizeBytes(item: DynamoDbItem): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    size += Buffer.byteLength(name, "utf8");
    if (value.S !== undefined) size += Buffer.byteLength(value.S, "utf8");
    else if (value.N !== undefined) size += numberSizeBytes(value.N);
    else if (value.BOOL !== undefined) size += 1;
    else throw new TypeError(`itemSizeBytes: attribute ${name} has a type this table does not use`);
  }
  return size;
}

const KEYS = Object.keys(KINDS) as IncidentKey[];

/** The guide's "approximately" made an upper bound: one byte more than it says, one more for a sign. */
function numberSizeBytes(value: string): number {
  const digits = value.replace(/[^0-9]/g, "").replace(/^0+/, "").replace(/0+$/, "");
  return Math.ceil(digits.length / 2) + 2 + (value.startsWith("-") ? 1 : 0);
}

/**
 * The incident as a DynamoDB item, marshalled by hand (strings as `S`, numbers as `N`, flags as `BOOL`) under the attribute names
 * of `INCIDENT_ATTRIBUTES`. Optional properties that are absent are left out rather than stored empty. The item also
 * carries its index shard keys, both derived from the id: `log_group_shard` (`<log group>#<n>`, `by-log-group`) and
 * `fingerprint_shard` (`<fingerprint>#<n>`, `by-fingerprint`).
 */
export function toIncidentItem(incident: Incident): DynamoDbItem {
  const item: DynamoDbItem = {};
  for (const key of KEYS) {
    const value = incident[key];
    if (value === undefined) continue;
    const kind = KINDS[key];
    item[INCIDENT_ATTRIBUTES[key]] =
      kind === "N" ? { N: String(value) } : kind === "BOOL" ? { BOOL: value === true } : { S: String(value) };
  }
  item[INCIDENT_ATTRIBUTES.logGroupShard] = { S: logGroupShardKey(incident.logGroup, logGroupShardOf(incident.incidentId)) };
  item[INCIDENT_ATTRIBUTES.fingerprintShard] = { S: fingerprintShardKey(incident.fingerprint, fingerprintShardOf(incident.incidentId)) };
  return item;
}

/**
 * Reads an incident back from a DynamoDB item (for queries, tools and tests).
 *
 * @throws TypeError naming the attribute when a required one is missing or has the wrong type.
 */
export function fromIncidentItem(item: DynamoDbItem): Incident {
  const values: Partial<Record<IncidentKey, string | number | boolean>> = {};
  for (const key of KEYS) {
    const name = INCIDENT_ATTRIBUTES[key];
    const attribute = item[name];
    if (attribute === undefined) continue;
    if (KINDS[key] === "BOOL") {
      if (attribute.BOOL === undefined) throw new TypeError(`incident attribute ${name} must be a Boolean (BOOL)`);
      values[key] = attribute.BOOL;
    } else if (KINDS[key] === "N") {
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
    if (!OPTIONAL.includes(key) && values[key] === undefined) {
      throw new TypeError(`incident attribute ${INCIDENT_ATTRIBUTES[key]} is missing`);
    }
  }
  return values as unknown as Incident;
}
