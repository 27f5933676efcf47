import fc from "fast-check";
import { DEPTH_LIMIT_PLACEHOLDER, MAX_JSON_DEPTH, boundJsonDepth } from "../../../handlers/log-processor/bounded-json";
import {
  ATTRIBUTE_BYTE_CAPS,
  buildIncidentsReport,
  Incident,
  incidentIdOf,
  LineReader,
  readLogLine,
} from "../../../handlers/log-processor/incident";
import { fromIncidentItem, itemSizeBytes, MAX_ITEM_BYTES, toIncidentItem } from "../../../handlers/log-processor/incident-item";
import { LogsDataMessage } from "../../../handlers/log-processor/logs-payload";
import { releaseOfLogStream } from "../../../handlers/log-processor/release";
import { toWellFormed } from "../../../handlers/log-processor/well-formed";
import {
  anyLine,
  bigText,
  errorLine,
  GeneratedLine,
  hostileText,
  MAX_EVENT_BYTES,
  nestedJson,
} from "../../support/log-line-arbitraries";

// Fixed seed and bounded runs: the same cases on every machine, in seconds. Raise numRuns locally to search further.
const SEED = 20261202;
const RUNS = 60;
// About 3 s of CPU each; the timeout leaves room for a machine shared with other work (jest's default is 60 s here).
const PROPERTY_TIMEOUT_MS = 300_000;

const T0 = 1714564800000;

function delivery(lines: readonly GeneratedLine[], overrides: Partial<LogsDataMessage> = {}): LogsDataMessage {
  return {
    messageType: "DATA_MESSAGE",
    owner: "123456789012",
    logGroup: "/aws/lambda/orders-api",
    logStream: "2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef",
    subscriptionFilters: ["log-monitor-errors"],
    logEvents: lines.map((line, i) => ({ id: `38${String(i).padStart(54, "0")}`, timestamp: T0 + i, message: line.message })),
    ...overrides,
  };
}

/** What must hold of every incident, whatever its line: it fits the item limit and reads back as stored. */
function assertStorable(incident: Incident): void {
  const item = toIncidentItem(incident);
  const size = itemSizeBytes(item);
  if (size > MAX_ITEM_BYTES) throw new Error(`item of ${size} bytes exceeds ${MAX_ITEM_BYTES} (event ${incident.eventId})`);
  expect(fromIncidentItem(item)).toStrictEqual(incident);
}

describe("no log line can sink a delivery (property-based, fast-check)", () => {
  it("builds incidents for any delivery without throwing; every item fits 400 KB; every error line is an incident, read normally", () => {
    fc.assert(
      fc.property(fc.array(anyLine, { minLength: 1, maxLength: 5 }), (lines) => {
        // Prepare
        const payload = delivery(lines);
        // Act
        const report = buildIncidentsReport(payload, { ttlDays: 30 });
        // Assess
        expect(report.skipped).toEqual([]);
        const byEvent = new Map(report.incidents.map((incident) => [incident.eventId, incident]));
        lines.forEach((line, i) => {
          const event = payload.logEvents[i] as LogsDataMessage["logEvents"][number];
          const incident = byEvent.get(event.id);
          if (line.isError && incident === undefined) {
            throw new Error(`${line.format} error line of ${Buffer.byteLength(line.message)} bytes is not an incident`);
          }
          if (incident === undefined) return;
          // Read by the classifier, not by the fallback: the bounds, not the safety net, handled the line.
          if (incident.classificationFailed === true) {
            throw new Error(`${line.format} line needed the fallback: ${String(incident.classificationError)}`);
          }
          expect(incident.incidentId).toBe(incidentIdOf(payload.logGroup, payload.logStream, event.id));
          assertStorable(incident);
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, PROPERTY_TIMEOUT_MS);

  it("keeps error lines nested up to and past 10,000 levels as incidents, in every envelope", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12_000 }),
        fc.constantFrom("array" as const, "object" as const, "mixed" as const),
        fc.constantFrom("json", "node-text", "python-text", "json-in-json-string"),
        (depth, shape, envelope) => {
          // Prepare
          const deep = nestedJson(depth, shape, '"disk full"');
          const message = {
            json: `{"level":"error","message":${deep}}`,
            "node-text": `2024-05-01T12:00:00.123Z\t8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10\tINFO\t{"level":"fatal","data":${deep}}`,
            "python-text": `[ERROR]\t2024-05-01T12:00:00.123Z\tr-1\t${deep}`,
            "json-in-json-string": `{"level":"info","message":${JSON.stringify(`{"level":"error","data":${deep}}`)}}`,
          }[envelope];
          // Act
          const { incidents } = buildIncidentsReport(delivery([{ format: envelope, message, isError: true }]), { ttlDays: 30 });
          // Assess
          expect(incidents).toHaveLength(1);
          expect(incidents[0]?.classificationFailed).toBeUndefined();
          expect(incidents[0]?.severity).toBe(envelope === "node-text" ? "FATAL" : "ERROR");
          assertStorable(incidents[0] as Incident);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  }, PROPERTY_TIMEOUT_MS);

  it("cuts every attribute taken from the delivery to its cap, recording its original size, and the item still fits", () => {
    fc.assert(
      fc.property(
        fc.record({ logGroup: bigText, logStream: bigText, owner: bigText, eventId: bigText, line: errorLine }),
        ({ logGroup, logStream, owner, eventId, line }) => {
          // Prepare: every string of the delivery huge at once (no real delivery is; the item must fit regardless).
          const payload = delivery([line], { logGroup, logStream, owner });
          const events = [{ ...(payload.logEvents[0] as LogsDataMessage["logEvents"][number]), id: eventId }];
          // Act
          const [incident] = buildIncidentsReport({ ...payload, logEvents: events }, { ttlDays: 30 }).incidents;
          // Assess
          if (incident === undefined) throw new Error(`${line.format} error line is not an incident`);
          assertStorable(incident);
          const originals: Record<keyof typeof ATTRIBUTE_BYTE_CAPS, string | undefined> = {
            logGroup: toWellFormed(logGroup),
            logStream: toWellFormed(logStream),
            accountId: toWellFormed(owner),
            eventId: toWellFormed(eventId),
            requestId: readLogLine(toWellFormed(line.message)).classification?.requestId,
            errorType: readLogLine(toWellFormed(line.message)).classification?.errorType,
            release: readLogLine(toWellFormed(line.message)).release ?? releaseOfLogStream(toWellFormed(logStream)),
          };
          for (const [key, cap] of Object.entries(ATTRIBUTE_BYTE_CAPS) as [keyof typeof ATTRIBUTE_BYTE_CAPS, number][]) {
            const original = originals[key];
            const stored = incident[key];
            if (original === undefined) continue;
            const bytes = Buffer.byteLength(original, "utf8");
            expect(Buffer.byteLength(stored as string, "utf8")).toBeLessThanOrEqual(cap);
            expect(original.startsWith(stored as string)).toBe(true);
            expect(incident[`${key}Truncated`]).toBe(bytes > cap ? true : undefined);
            expect(incident[`${key}Bytes`]).toBe(bytes > cap ? bytes : undefined);
          }
          expect(incident.incidentId).toBe(incidentIdOf(logGroup, logStream, eventId));
        },
      ),
      { seed: SEED, numRuns: 20 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it("stores a line whose reading throws as a flagged ERROR incident, and loses none of the other events", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(errorLine, fc.boolean()), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(new RangeError("Maximum call stack size exceeded"), new TypeError("x is undefined"), "a string"),
        (cases, thrown) => {
          // Prepare: a reader that throws on the lines marked true, as a bug in the classifier would.
          const poisoned = new Set(cases.filter(([, poison]) => poison).map(([line]) => toWellFormed(line.message)));
          const readLine: LineReader = (message) => {
            if (poisoned.has(message)) throw thrown;
            return readLogLine(message);
          };
          // Act
          const report = buildIncidentsReport(delivery(cases.map(([line]) => line)), { ttlDays: 30, readLine });
          // Assess: one incident per event, the poisoned ones flagged with the error and their raw line.
          expect(report.incidents).toHaveLength(cases.length);
          expect(report.skipped).toEqual([]);
          report.incidents.forEach((incident, i) => {
            const [line] = cases[i] as [GeneratedLine, boolean];
            const isPoisoned = poisoned.has(toWellFormed(line.message));
            expect(incident.classificationFailed).toBe(isPoisoned ? true : undefined);
            if (isPoisoned) {
              expect(incident.classificationError).toBe(
                thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : "thrown: a string",
              );
              expect(["ERROR", "CRITICAL", "FATAL"]).toContain(incident.severity);
              expect(toWellFormed(line.message).startsWith(incident.message)).toBe(true);
            }
            assertStorable(incident);
          });
          expect(report.unclassified).toBe(report.incidents.filter((i) => i.classificationFailed === true).length);
        },
      ),
      { seed: SEED, numRuns: 20 },
    );
  }, PROPERTY_TIMEOUT_MS);
});

describe("boundJsonDepth", () => {
  it("keeps what JSON.parse reads of any JSON within the bound, and replaces only what lies deeper", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), hostileText(), (value, key) => {
        // Prepare: a JSON text with hostile keys and strings (escaped quotes, backslashes, brackets in strings).
        const text = JSON.stringify({ [key]: value, "\\\"[{": "]}\\" });
        // Act
        const bounded = boundJsonDepth(text);
        // Assess
        expect(bounded).toEqual({ text, pruned: false });
        expect(boundJsonDepth(text, 1)?.text).toBe(
          JSON.stringify({
            [key]: typeof value === "object" && value !== null ? JSON.parse(DEPTH_LIMIT_PLACEHOLDER) : value,
            "\\\"[{": "]}\\",
          }),
        );
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("bounds 500,000 levels in one pass, leaving exactly the bound", () => {
    // Prepare: a 1 MB event of nested arrays.
    const text = nestedJson(MAX_EVENT_BYTES / 2, "array", "1");
    // Act
    const bounded = boundJsonDepth(text);
    // Assess
    expect(bounded?.pruned).toBe(true);
    expect(bounded?.text).toBe(`${"[".repeat(MAX_JSON_DEPTH)}${DEPTH_LIMIT_PLACEHOLDER}${"]".repeat(MAX_JSON_DEPTH)}`);
  });

  it.each([
    ["an unclosed container", "[[1]"],
    ["an unopened container", "[1]]"],
    ["an unterminated string", '{"a":"b}'],
  ])("says that %s is not JSON", (_name, text) => {
    // Act / Assess
    expect(boundJsonDepth(text)).toBeUndefined();
  });
});
