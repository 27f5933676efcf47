import { createHash } from "node:crypto";
import { buildIncidents } from "../../../handlers/log-processor/incident";
import { LogsDataMessage } from "../../../handlers/log-processor/logs-payload";
import GOLDEN from "../../fixtures/stable-lines.golden.json";
import { STABLE_LINES } from "../../fixtures/stable-lines";

describe("incidents of lines within the parsing bounds", () => {
  it("are exactly those recorded before the bounds existed: same ids, classification, fingerprints and stored message", () => {
    // Prepare: every fixture line and lines near the bounds (64 levels of nesting, 1 MB events), in one delivery.
    const payload: LogsDataMessage = {
      messageType: "DATA_MESSAGE",
      owner: "123456789012",
      logGroup: "/aws/lambda/orders-api",
      logStream: "2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef",
      subscriptionFilters: ["f"],
      logEvents: STABLE_LINES.map((line, i) => ({ id: String(i).padStart(56, "0"), timestamp: 1714564800000 + i, message: line.message })),
    };
    // Act
    const byEvent = new Map(buildIncidents(payload, { ttlDays: 30 }).map((incident) => [incident.eventId, incident]));
    const now = STABLE_LINES.map((line, i) => {
      const incident = byEvent.get(String(i).padStart(56, "0"));
      if (incident === undefined) return { name: line.name, incident: null };
      const { message, ...rest } = incident;
      return { name: line.name, incident: { ...rest, messageSha256: createHash("sha256").update(message).digest("hex") } };
    });
    // Assess
    expect(now).toStrictEqual(GOLDEN);
  });
});
