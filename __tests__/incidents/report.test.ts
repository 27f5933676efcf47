import { decodeLogsEvent } from "../../handlers/log-processor/decode";
import { buildIncidents } from "../../handlers/log-processor/incident";
import { formatIncidentTable, groupIncidents, table } from "../../lib/incidents/report";
import { dataMessage, logEvents, logsEvent } from "../support/logs-payload";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0, 0);
const incidentsOf = (messages: string[], logGroup = "/aws/lambda/orders") =>
  buildIncidents(decodeLogsEvent(logsEvent(dataMessage(logEvents(messages, T0), { logGroup }))), { ttlDays: 30 });

describe("groupIncidents", () => {
  it("counts each failure with first and last seen, worst severity and latest error, most frequent first", () => {
    // Prepare: Node.js runtime lines, whose level is not part of the fingerprinted text.
    const node = (level: string, text: string) => `2024-05-01T12:00:00.000Z\treq-1\t${level}\t${text}`;
    const incidents = incidentsOf([
      node("ERROR", "disk full"),
      node("ERROR", "timeout after 3001 ms"),
      node("FATAL", "timeout after 12 ms"),
      node("ERROR", "timeout after 2987 ms"),
      node("ERROR", "disk full"),
    ]);
    // Act
    const groups = groupIncidents(incidents);
    // Assess
    expect(groups.map(({ fingerprint: _f, ...rest }) => rest)).toStrictEqual([
      {
        count: 3,
        firstSeen: "2024-05-01T12:00:01.000Z",
        lastSeen: "2024-05-01T12:00:03.000Z",
        severity: "FATAL",
        error: "timeout after 2987 ms",
        logGroups: ["/aws/lambda/orders"],
      },
      {
        count: 2,
        firstSeen: "2024-05-01T12:00:00.000Z",
        lastSeen: "2024-05-01T12:00:04.000Z",
        severity: "ERROR",
        error: "disk full",
        logGroups: ["/aws/lambda/orders"],
      },
    ]);
  });
});

describe("formatIncidentTable", () => {
  it("cuts long errors at 100 characters and keeps each on one line", () => {
    // Prepare
    const [incident] = incidentsOf([`ERROR: ${"x".repeat(200)}`]);
    // Act
    const text = formatIncidentTable(incident ? [incident] : [], { fingerprint: false, logGroup: false });
    // Assess
    expect(text.split("\n")).toEqual([
      "OCCURRED AT (UTC)         SEVERITY  ERROR",
      `2024-05-01T12:00:00.000Z  ERROR     ERROR: ${"x".repeat(90)}...`,
    ]);
  });
});

describe("table", () => {
  it("aligns columns two spaces apart, right-aligns where asked, and leaves no trailing spaces", () => {
    // Act
    const text = table(
      ["N", "NAME", "NOTE"],
      [
        ["1", "a", ""],
        ["12", "bbb", "x"],
      ],
      [true],
    );
    // Assess
    expect(text.split("\n")).toEqual([" N  NAME  NOTE", " 1  a", "12  bbb   x"]);
  });
});
