import { gzipSync } from "node:zlib";
import { decodeLogsEvent, MalformedLogsEventError } from "../../../handlers/log-processor/decode";
import { controlMessage, dataMessage, encodeAwslogsData, logEvents, logsEvent } from "../../support/logs-payload";

/** The error decodeLogsEvent throws for `event`, so that tests can assert its message and field. */
function decodeError(event: unknown): MalformedLogsEventError {
  try {
    decodeLogsEvent(event);
  } catch (error) {
    if (error instanceof MalformedLogsEventError) return error;
    throw error;
  }
  throw new Error("expected decodeLogsEvent to throw");
}

/** An event whose awslogs.data holds `payload` as JSON, gzipped and base64-encoded. */
function eventWithPayload(payload: unknown): unknown {
  return { awslogs: { data: encodeAwslogsData(JSON.stringify(payload)) } };
}

function jsonParseError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to parse`);
}

describe("decodeLogsEvent", () => {
  it("decodes a DATA_MESSAGE into its typed payload", () => {
    // Prepare
    const payload = dataMessage(logEvents(["first line", "second line"]));
    // Act
    const decoded = decodeLogsEvent(logsEvent(payload));
    // Assess
    expect(decoded).toEqual(payload);
  });

  it("acknowledges a CONTROL_MESSAGE without reading its other fields", () => {
    // Act
    const decoded = decodeLogsEvent(logsEvent(controlMessage()));
    // Assess
    expect(decoded).toStrictEqual({ messageType: "CONTROL_MESSAGE" });
  });

  it("accepts a delivery with no log events", () => {
    // Act
    const decoded = decodeLogsEvent(logsEvent(dataMessage([])));
    // Assess
    expect(decoded).toMatchObject({ messageType: "DATA_MESSAGE", logEvents: [] });
  });

  it.each([
    [
      "null",
      null,
      'Malformed CloudWatch Logs event: the event is null, not an object; expected {"awslogs":{"data":"<base64 of gzipped JSON>"}}',
    ],
    [
      "a string",
      "H4sI",
      'Malformed CloudWatch Logs event: the event is the string "H4sI", not an object; expected {"awslogs":{"data":"<base64 of gzipped JSON>"}}',
    ],
    [
      "an array",
      [],
      'Malformed CloudWatch Logs event: the event is an array, not an object; expected {"awslogs":{"data":"<base64 of gzipped JSON>"}}',
    ],
  ])("rejects an event that is %s", (_name, event, message) => {
    // Act
    const error = decodeError(event);
    // Assess
    expect(error.message).toBe(message);
  });

  it.each([
    ["no awslogs", {}],
    ["awslogs without data", { awslogs: {} }],
    ["awslogs.data that is not a string", { awslogs: { data: 42 } }],
  ])("rejects an event with %s", (_name, event) => {
    // Act
    const error = decodeError(event);
    // Assess
    expect(error.message).toBe(
      'Malformed CloudWatch Logs event: the event has no awslogs.data string; expected {"awslogs":{"data":"<base64 of gzipped JSON>"}}',
    );
    expect(error.field).toBe("awslogs.data");
  });

  it("rejects data with a character outside the base64 alphabet, saying where", () => {
    // Act
    const error = decodeError({ awslogs: { data: "H4sIAAAA!AAA" } });
    // Assess
    expect(error.message).toBe(
      'Malformed CloudWatch Logs event: awslogs.data is not valid base64: character "!" at position 8 is not in the base64 alphabet',
    );
  });

  it("rejects data whose length is not a multiple of 4", () => {
    // Act
    const error = decodeError({ awslogs: { data: "H4sIAAA" } });
    // Assess
    expect(error.message).toBe(
      'Malformed CloudWatch Logs event: awslogs.data is not valid base64: its length (7) is not a multiple of 4 or its "=" padding is misplaced',
    );
  });

  it("rejects base64 that is not gzip", () => {
    // Prepare: plain JSON, base64-encoded but never gzipped.
    const data = Buffer.from('{"messageType":"DATA_MESSAGE"}').toString("base64");
    // Act
    const error = decodeError({ awslogs: { data } });
    // Assess
    expect(error.message).toBe(
      "Malformed CloudWatch Logs event: awslogs.data is not gzip: the decoded bytes do not start with the gzip signature 1f 8b",
    );
  });

  it("rejects gzip data that is cut short", () => {
    // Prepare: the first half of a valid gzip stream.
    const gzipped = gzipSync(Buffer.from(JSON.stringify(dataMessage(logEvents(["a line"])))));
    const data = gzipped.subarray(0, 24).toString("base64");
    // Act
    const error = decodeError({ awslogs: { data } });
    // Assess
    expect(error.message).toBe("Malformed CloudWatch Logs event: awslogs.data is not gzip: unexpected end of file");
  });

  it("rejects gzipped text that is not JSON, quoting the parser", () => {
    // Prepare: the parser's own wording differs between Node.js versions, so take it from the parser.
    const parserMessage = jsonParseError("not json");
    // Act
    const error = decodeError({ awslogs: { data: encodeAwslogsData("not json") } });
    // Assess
    expect(error.message).toBe(`Malformed CloudWatch Logs event: awslogs.data does not hold valid JSON: ${parserMessage}`);
  });

  it("rejects JSON that is not an object", () => {
    // Act
    const error = decodeError(eventWithPayload([1, 2]));
    // Assess
    expect(error.message).toBe("Malformed CloudWatch Logs event: awslogs.data holds an array, not a JSON object");
  });

  it("rejects a missing messageType", () => {
    // Prepare
    const { messageType: _omitted, ...payload } = dataMessage([]);
    // Act
    const error = decodeError(eventWithPayload(payload));
    // Assess
    expect(error.message).toBe("Malformed CloudWatch Logs event: field messageType is missing");
  });

  it("rejects an unknown messageType, naming it", () => {
    // Act
    const error = decodeError(eventWithPayload(dataMessage([], { messageType: "HEARTBEAT" })));
    // Assess
    expect(error.message).toBe(
      'Malformed CloudWatch Logs event: field messageType must be "DATA_MESSAGE" or "CONTROL_MESSAGE", got the string "HEARTBEAT"',
    );
    expect(error.field).toBe("messageType");
  });

  it.each([
    ["owner", { owner: 123456789012 }, "field owner must be a string, got number 123456789012"],
    ["logGroup", { logGroup: "" }, 'field logGroup must be a non-empty string, got the string ""'],
    ["logStream", { logStream: null }, "field logStream must be a non-empty string, got null"],
    [
      "subscriptionFilters",
      { subscriptionFilters: "errors" },
      'field subscriptionFilters must be an array, got the string "errors"',
    ],
    [
      "subscriptionFilters[1]",
      { subscriptionFilters: ["errors", 7] },
      "field subscriptionFilters[1] must be a string, got number 7",
    ],
    ["logEvents", { logEvents: {} }, "field logEvents must be an array, got an object"],
  ])("rejects a wrongly typed %s, naming the field and the value", (field, overrides, problem) => {
    // Act
    const error = decodeError(eventWithPayload(dataMessage([], overrides)));
    // Assess
    expect(error.message).toBe(`Malformed CloudWatch Logs event: ${problem}`);
    expect(error.field).toBe(field);
  });

  it("rejects a missing logGroup", () => {
    // Prepare
    const { logGroup: _omitted, ...payload } = dataMessage([]);
    // Act
    const error = decodeError(eventWithPayload(payload));
    // Assess
    expect(error.message).toBe("Malformed CloudWatch Logs event: field logGroup is missing");
  });

  it.each([
    ["an event that is not an object", "a line", "logEvents[3]", 'field logEvents[3] must be an object, got the string "a line"'],
    ["an event without an id", { timestamp: 1714564800000, message: "x" }, "logEvents[3].id", "field logEvents[3].id is missing"],
    [
      "a string timestamp",
      { id: "4", timestamp: "1714564800000", message: "x" },
      "logEvents[3].timestamp",
      'field logEvents[3].timestamp must be a non-negative integer (milliseconds since the epoch), got the string "1714564800000"',
    ],
    [
      "a fractional timestamp",
      { id: "4", timestamp: 1714564800000.5, message: "x" },
      "logEvents[3].timestamp",
      "field logEvents[3].timestamp must be a non-negative integer (milliseconds since the epoch), got number 1714564800000.5",
    ],
    [
      "a negative timestamp",
      { id: "4", timestamp: -1, message: "x" },
      "logEvents[3].timestamp",
      "field logEvents[3].timestamp must be a non-negative integer (milliseconds since the epoch), got number -1",
    ],
    [
      "a message that is not a string",
      { id: "4", timestamp: 1714564800000, message: { level: "error" } },
      "logEvents[3].message",
      "field logEvents[3].message must be a string, got an object",
    ],
  ])("rejects %s, naming its position", (_name, badEvent, field, problem) => {
    // Prepare: three good events, then the bad one at index 3.
    const payload = dataMessage([...logEvents(["a", "b", "c"]), badEvent as never]);
    // Act
    const error = decodeError(eventWithPayload(payload));
    // Assess
    expect(error.message).toBe(`Malformed CloudWatch Logs event: ${problem}`);
    expect(error.field).toBe(field);
  });

  it("is a MalformedLogsEventError, so callers can tell bad input from failed writes", () => {
    // Act
    const error = decodeError({});
    // Assess
    expect(error).toBeInstanceOf(MalformedLogsEventError);
    expect(error.name).toBe("MalformedLogsEventError");
  });
});
