import { excludedBy, ExcludedPrefixesError, readExcludedPrefixes } from "../../../handlers/log-processor/account-scope";
import { processDelivery } from "../../../handlers/log-processor/process-delivery";
import { REQUEST_ID } from "../../fixtures/log-lines";
import { dataMessage, logEvents, logsEvent } from "../../support/logs-payload";

const ERROR_LINE = `2024-05-01T12:00:01.000Z\t${REQUEST_ID}\tERROR\tpayment declined`;

describe("account-wide exclusion prefixes in the processor", () => {
  it("reads a JSON array of prefixes, and nothing when unset or blank", () => {
    expect(readExcludedPrefixes({ EXCLUDED_LOG_GROUP_PREFIXES: '["/aws/lambda/noisy-","/ecs/batch-"]' })).toEqual(["/aws/lambda/noisy-", "/ecs/batch-"]);
    expect(readExcludedPrefixes({})).toEqual([]);
    expect(readExcludedPrefixes({ EXCLUDED_LOG_GROUP_PREFIXES: " " })).toEqual([]);
  });

  it.each(['"/aws/lambda/"', "[1]", '[""]', "/aws/lambda/noisy-", "{}"])("refuses %s at cold start with one line naming the variable", (value) => {
    expect(() => readExcludedPrefixes({ EXCLUDED_LOG_GROUP_PREFIXES: value })).toThrow(
      new ExcludedPrefixesError(value),
    );
    expect(new ExcludedPrefixesError(value).message).toBe(`EXCLUDED_LOG_GROUP_PREFIXES: ${JSON.stringify(value)} is not a JSON array of non-empty strings`);
  });

  it("drops a delivery from an excluded group unread and logs it, and processes the others", async () => {
    // Prepare
    const written: string[] = [];
    const log: string[] = [];
    const dependencies = {
      store: { putAll: async (incidents: readonly { logGroup: string }[]) => void written.push(...incidents.map((i) => i.logGroup)) },
      ttlDays: 30,
      log: (line: string) => void log.push(line),
      excludeLogGroup: excludedBy(["/aws/lambda/noisy-"]),
    };
    // Act
    const skipped = await processDelivery(logsEvent(dataMessage(logEvents([ERROR_LINE]), { logGroup: "/aws/lambda/noisy-batch" })), dependencies);
    const kept = await processDelivery(logsEvent(dataMessage(logEvents([ERROR_LINE]), { logGroup: "/aws/lambda/noisy" })), dependencies);
    // Assess: a prefix is a prefix, not a substring; "/aws/lambda/noisy" is not under "/aws/lambda/noisy-"
    expect(skipped).toStrictEqual({ processed: 0, incidents_created: 0, alerts_published: 0, alerts_suppressed: 0, alerts_digested: 0 });
    expect(kept.incidents_created).toBe(1);
    expect(written).toEqual(["/aws/lambda/noisy"]);
    expect(JSON.parse(log[0] ?? "{}")).toEqual({ summary: "log delivery skipped: excluded log group", log_group: "/aws/lambda/noisy-batch" });
  });
});
