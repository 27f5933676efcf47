import { parseDuration, parseIncidentsArgs, UsageError } from "../../lib/incidents/cli-options";

const FINGERPRINT = "0123456789abcdef0123456789abcdef";

describe("incidents command line", () => {
  it("defaults to the last 24 hours, listing at most 50 incidents", () => {
    // Act / Assess
    expect(parseIncidentsArgs([])).toStrictEqual({
      sinceMs: 86_400_000,
      sinceText: "24h",
      groups: false,
      json: false,
      limit: 50,
      help: false,
    });
  });

  it.each([
    [["--since", "30m"], { sinceMs: 30 * 60_000, sinceText: "30m" }],
    [["--since=2d"], { sinceMs: 2 * 86_400_000, sinceText: "2d" }],
    [["--log-group", "/aws/lambda/orders"], { logGroup: "/aws/lambda/orders" }],
    [["--fingerprint", FINGERPRINT, "--groups"], { fingerprint: FINGERPRINT, groups: true }],
    [["--limit=5"], { limit: 5 }],
    [["-h"], { help: true }],
  ])("parses %j", (args, expected) => {
    // Act / Assess
    expect(parseIncidentsArgs(args)).toMatchObject(expected);
  });

  it.each([
    [["--since", "1 hour"], '--since takes a duration such as 30m, 1h or 2d, not "1 hour"'],
    [["--since", "0h"], '--since takes a duration such as 30m, 1h or 2d, not "0h"'],
    [["--since", "90s"], '--since takes a duration such as 30m, 1h or 2d, not "90s"'],
    [["--since"], "--since needs a value"],
    [["--log-group="], "--log-group needs a value"],
    [["--fingerprint", "ABC"], '--fingerprint takes the 32 lower-case hex characters of a fingerprint, not "ABC"'],
    [["--limit", "0"], '--limit takes a whole number from 1 to 999999, not "0"'],
    [["--groups=yes"], "--groups takes no value"],
    [["--scan"], 'unknown argument "--scan"'],
  ])("rejects %j with a message saying why", (args, message) => {
    // Act / Assess
    expect(() => parseIncidentsArgs(args)).toThrow(new UsageError(message));
  });

  it.each([
    ["30m", 1_800_000],
    ["1h", 3_600_000],
    ["2d", 172_800_000],
  ])("reads the duration %s", (text, ms) => {
    // Act / Assess
    expect(parseDuration(text)).toBe(ms);
  });
});
