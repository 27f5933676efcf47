import { gunzipSync } from "node:zlib";
import { LogEvent, LogsPayload } from "./logs-payload";

/**
 * A subscription delivery that cannot be decoded. The message says which step failed (shape, base64, gzip,
 * JSON, a field) and, for a field, its path and the value found, so the event in the dead-letter queue can be
 * understood without re-running the decoder.
 */
export class MalformedLogsEventError extends Error {
  /** The path of the offending field (`logEvents[3].timestamp`), when one field is to blame. */
  public readonly field?: string;

  constructor(problem: string, field?: string) {
    super(`Malformed CloudWatch Logs event: ${problem}`);
    this.name = "MalformedLogsEventError";
    if (field !== undefined) this.field = field;
  }
}

const EXPECTED_SHAPE = 'expected {"awslogs":{"data":"<base64 of gzipped JSON>"}}';
const GZIP_MAGIC = [0x1f, 0x8b] as const;
const BASE64_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes a CloudWatch Logs subscription event (`{"awslogs":{"data":"<base64(gzip(JSON))>"}}`) into its payload,
 * checking every field the processor relies on.
 *
 * A CONTROL_MESSAGE is returned as `{ messageType: "CONTROL_MESSAGE" }` without checking its other fields: it
 * only tests that the destination is reachable, and failing it would make CloudWatch Logs think it is not.
 *
 * @throws MalformedLogsEventError naming the problem: not an object, no `awslogs.data` string, not base64, not gzip,
 *   not JSON, a missing or wrongly typed field (`logEvents[3].timestamp`), or an unknown `messageType`.
 */
export function decodeLogsEvent(event: unknown): LogsPayload {
  if (!isObject(event)) {
    throw new MalformedLogsEventError(`the event is ${describe(event)}, not an object; ${EXPECTED_SHAPE}`);
  }
  const awslogs = event.awslogs;
  const data = isObject(awslogs) ? awslogs.data : undefined;
  if (typeof data !== "string") {
    throw new MalformedLogsEventError(`the event has no awslogs.data string; ${EXPECTED_SHAPE}`, "awslogs.data");
  }
  const json = parseJson(gunzip(decodeBase64(data)));
  return checkPayload(json);
}

function decodeBase64(data: string): Buffer {
  // Buffer.from(..., "base64") silently skips characters outside the alphabet, so check strictly first.
  const invalidAt = data.search(/[^A-Za-z0-9+/=]/);
  if (invalidAt >= 0) {
    throw new MalformedLogsEventError(
      `awslogs.data is not valid base64: character ${JSON.stringify(
        data[invalidAt],
      )} at position ${invalidAt} is not in the base64 alphabet`,
      "awslogs.data",
    );
  }
  if (data.length % 4 !== 0 || !BASE64_ALPHABET.test(data)) {
    throw new MalformedLogsEventError(
      `awslogs.data is not valid base64: its length (${data.length}) is not a multiple of 4 or its "=" padding is misplaced`,
      "awslogs.data",
    );
  }
  return Buffer.from(data, "base64");
}

function gunzip(bytes: Buffer): Buffer {
  if (bytes.length < 2 || bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) {
    throw new MalformedLogsEventError(
      "awslogs.data is not gzip: the decoded bytes do not start with the gzip signature 1f 8b",
      "awslogs.data",
    );
  }
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new MalformedLogsEventError(`awslogs.data is not gzip: ${(error as Error).message}`, "awslogs.data");
  }
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new MalformedLogsEventError(`awslogs.data does not hold valid JSON: ${(error as Error).message}`, "awslogs.data");
  }
}

function checkPayload(json: unknown): LogsPayload {
  if (!isObject(json)) {
    throw new MalformedLogsEventError(`awslogs.data holds ${describe(json)}, not a JSON object`, "awslogs.data");
  }
  const messageType = json.messageType;
  if (messageType === "CONTROL_MESSAGE") return { messageType };
  if (messageType !== "DATA_MESSAGE") {
    throw new MalformedLogsEventError(
      messageType === undefined
        ? "field messageType is missing"
        : `field messageType must be "DATA_MESSAGE" or "CONTROL_MESSAGE", got ${describe(messageType)}`,
      "messageType",
    );
  }
  const logEvents = field(json, "logEvents", "an array", Array.isArray);
  return {
    messageType,
    owner: field(json, "owner", "a string", isString),
    logGroup: field(json, "logGroup", "a non-empty string", isNonEmptyString),
    logStream: field(json, "logStream", "a non-empty string", isNonEmptyString),
    subscriptionFilters: checkSubscriptionFilters(field(json, "subscriptionFilters", "an array", Array.isArray)),
    logEvents: logEvents.map((event, index) => checkLogEvent(event, `logEvents[${index}]`)),
  };
}

function checkSubscriptionFilters(filters: unknown[]): string[] {
  return filters.map((name, index) => check(name, `subscriptionFilters[${index}]`, "a string", isString));
}

function checkLogEvent(event: unknown, path: string): LogEvent {
  if (!isObject(event)) {
    throw new MalformedLogsEventError(`field ${path} must be an object, got ${describe(event)}`, path);
  }
  return {
    id: field(event, "id", "a non-empty string", isNonEmptyString, path),
    timestamp: field(event, "timestamp", "a non-negative integer (milliseconds since the epoch)", isEpochMillis, path),
    message: field(event, "message", "a string", isString, path),
  };
}

function field<T>(
  object: Record<string, unknown>,
  key: string,
  expected: string,
  guard: (value: unknown) => value is T,
  parent?: string,
): T {
  const path = parent === undefined ? key : `${parent}.${key}`;
  if (!(key in object) || object[key] === undefined) {
    throw new MalformedLogsEventError(`field ${path} is missing`, path);
  }
  return check(object[key], path, expected, guard);
}

function check<T>(value: unknown, path: string, expected: string, guard: (value: unknown) => value is T): T {
  if (!guard(value)) {
    throw new MalformedLogsEventError(`field ${path} must be ${expected}, got ${describe(value)}`, path);
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

// The largest time a JavaScript Date can hold, so the timestamp can always become an ISO-8601 string.
const MAX_DATE_MS = 8.64e15;

function isEpochMillis(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_DATE_MS;
}

/** A short, unambiguous description of a value for an error message. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}
