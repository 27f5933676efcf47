import { emfRecord, failureRecords } from "../../handlers/log-processor/delivery-records";
import { decodeLogsEvent } from "../../handlers/log-processor/decode";
import { buildIncidents } from "../../handlers/log-processor/incident";
import { dashboardFigures } from "../../lib/simulate/simulate";
import { dataMessage, logEvents, logsEvent } from "../support/logs-payload";

describe("dashboardFigures: the simulator's top failures and alert figures, from the processor's own lines", () => {
  it("sums failure records by fingerprint, most first, and the EMF figures over deliveries, ignoring other lines", () => {
    // Prepare: two deliveries' records, as the processor writes them, with a console line between.
    const incidents = (messages: string[]) => buildIncidents(decodeLogsEvent(logsEvent(dataMessage(logEvents(messages)))), { ttlDays: 30 });
    const figures = (published: number) =>
      emfRecord({ incidentsWritten: 2, alertsPublished: published, alertsSuppressed: 1, alertsMuted: 0 }, { namespace: "N", environment: "dev", timestampMs: 0 });
    const lines = [
      ...failureRecords(incidents(["ERROR: disk full", "ERROR: timeout"])),
      figures(2),
      "2026-11-30T12:00:00.000Z\tabc\tINFO\tnot a record",
      ...failureRecords(incidents(["ERROR: timeout", "ERROR: timeout"])),
      figures(0),
    ];
    // Act
    const result = dashboardFigures(lines);
    // Assess
    expect(result.topFailures.map((f) => [f.firstLine, f.occurrences])).toEqual([
      ["ERROR: timeout", 3],
      ["ERROR: disk full", 1],
    ]);
    expect(result.figures).toEqual({ IncidentsWritten: 4, AlertsPublished: 2, AlertsSuppressed: 2, AlertsMuted: 0 });
  });
});
