import { createHash } from "node:crypto";
import fc from "fast-check";
import { fingerprintMessage, normaliseMessage } from "../../../handlers/log-processor/fingerprint";
import { firstLine } from "../../../handlers/log-processor/log-line";

const NODE_PREFIX = "2024-05-01T12:00:00.123Z\t8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10\tERROR\t";

describe("normaliseMessage", () => {
  it("replaces each kind of variable part with its placeholder", () => {
    // Prepare
    const message =
      "timeout after 3001 ms (req 8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10) calling https://api.example.com/v1/orders/123?retry=2 " +
      "for ops@example.com from 10.0.3.12:5432 at 2024-05-01T12:00:00.123Z, key 'order-1842', body \"{}\", addr 0x7ffd1c2a, trace 5f2c1a9e77ab";
    // Act
    const normalised = normaliseMessage(message);
    // Assess
    expect(normalised).toBe(
      "timeout after <num> ms (req <uuid>) calling https://api.example.com/<path> for <email> from <ip> at <ts>, key <str>, body <str>, addr <hex>, trace <hex>",
    );
  });

  it("strips the Lambda runtime's timestamp, request id and level", () => {
    // Act
    const normalised = normaliseMessage(`${NODE_PREFIX}connection refused\n`);
    // Assess
    expect(normalised).toBe("connection refused");
  });

  it("keeps only the first meaningful line", () => {
    // Prepare: a Python traceback; the frames below the first line vary with the code, not the failure.
    const message =
      "[ERROR] KeyError: 'user_id'\nTraceback (most recent call last):\n\u00a0\u00a0File \"/var/task/app.py\", line 8, in lambda_handler\n";
    // Act
    const normalised = normaliseMessage(message);
    // Assess
    expect(normalised).toBe("KeyError: <str>");
  });

  it("uses the error type and message of a Node.js Invoke Error rather than its JSON", () => {
    // Prepare
    const message = `${NODE_PREFIX}Invoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'id')","stack":["TypeError: x"]}\n`;
    // Act
    const normalised = normaliseMessage(message);
    // Assess
    expect(normalised).toBe("TypeError: Cannot read properties of undefined (reading <str>)");
  });

  it("uses the message of a JSON log line, not its quoted keys", () => {
    // Prepare
    const message =
      '{"timestamp":"2024-05-01T12:00:00.123Z","level":"ERROR","requestId":"8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10","message":"queue 7 unreachable"}';
    // Act
    const normalised = normaliseMessage(message);
    // Assess
    expect(normalised).toBe("queue <num> unreachable");
  });

  it("keeps digits that belong to a word, such as error codes and versions", () => {
    // Act
    const normalised = normaliseMessage("MongoServerError: E11000 duplicate key in utf8 index v1.2.3");
    // Assess
    expect(normalised).toBe("MongoServerError: E11000 duplicate key in utf8 index v1.2.3");
  });

  it("does not take an apostrophe inside a word for a quoted value", () => {
    // Act
    const normalised = normaliseMessage("can't connect to 'db-primary', it's down");
    // Assess
    expect(normalised).toBe("can't connect to <str>, it's down");
  });
});

describe("fingerprintMessage", () => {
  it("is 32 lower-case hex characters (16 bytes of SHA-256)", () => {
    // Act
    const fingerprint = fingerprintMessage("ERROR: disk full");
    // Assess
    expect(fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it("is the first 16 bytes of the SHA-256 of the normalised form, the same every time", () => {
    // Prepare
    const message = `${NODE_PREFIX}payment provider returned 502\n`;
    const expected = createHash("sha256").update("payment provider returned <num>").digest("hex").slice(0, 32);
    // Act
    const fingerprints = [fingerprintMessage(message), fingerprintMessage(message)];
    // Assess
    expect(fingerprints).toEqual([expected, expected]);
  });

  it("groups occurrences of one failure that differ only in numbers, ids and times", () => {
    // Prepare
    const first =
      "2024-05-01T12:00:00.123Z\t8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10\tERROR\ttimeout after 3001 ms (req 8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10)\n";
    const second =
      "2024-05-01T12:07:41.980Z\t11ab3c4d-0e9f-4a8b-b7c6-d5e4f3a2b1c0\tERROR\ttimeout after 2987 ms (req 11ab3c4d-0e9f-4a8b-b7c6-d5e4f3a2b1c0)\n";
    // Act / Assess
    expect(fingerprintMessage(first)).toBe(fingerprintMessage(second));
  });

  it("groups the same failure with a short hex request id", () => {
    // Act / Assess
    expect(fingerprintMessage("timeout after 3001 ms (req 8f2c1a9e)")).toBe(
      fingerprintMessage("timeout after 2987 ms (req 11ab7c3d)"),
    );
  });

  it("groups timeouts of different invocations", () => {
    // Prepare
    const first = "2024-05-01T12:00:03.012Z 8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10 Task timed out after 3.00 seconds\n";
    const second = "2024-05-02T08:30:15.700Z 11ab3c4d-0e9f-4a8b-b7c6-d5e4f3a2b1c0 Task timed out after 3.01 seconds\n";
    // Act / Assess
    expect(fingerprintMessage(first)).toBe(fingerprintMessage(second));
  });

  it("looks only at the first 1,000 characters of a long line", () => {
    // Prepare: two 256 KB lines that differ only after the first 1,000 characters.
    const start = `ERROR: payload rejected ${"x".repeat(1000)}`;
    // Act / Assess
    expect(fingerprintMessage(`${start}${"a".repeat(255_000)}`)).toBe(fingerprintMessage(`${start}${"b".repeat(255_000)}`));
  });

  it.each([
    ["different messages", "ERROR: disk full", "ERROR: connection refused"],
    ["different error types", "[ERROR] KeyError: 'user_id'", "[ERROR] ValueError: 'user_id'"],
    [
      "different hosts",
      "fetch failed: https://api.example.com/v1/orders",
      "fetch failed: https://payments.example.com/v1/orders",
    ],
    [
      "a timeout and an out-of-memory crash",
      "Task timed out after 3.00 seconds",
      "RequestId: 8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10 Error: Runtime exited with error: signal: killed",
    ],
  ])("separates %s", (_name, first, second) => {
    // Act / Assess
    expect(fingerprintMessage(first)).not.toBe(fingerprintMessage(second));
  });
});

describe("fingerprints at the limits of one line", () => {
  it("groups JSON lines that differ only below the 64-level bound, and says where the bound cut", () => {
    // Prepare: two lines whose messages differ 100 levels down.
    const line = (leaf: string) => `{"level":"error","message":${"[".repeat(100)}"${leaf}"${"]".repeat(100)}}`;
    // Act
    const normalised = normaliseMessage(line("a"));
    // Assess
    expect(fingerprintMessage(line("a"))).toBe(fingerprintMessage(line("b")));
    // The line's object is the first level, so its message keeps 63, then the placeholder (a quoted string).
    expect(normalised).toBe(`${"[".repeat(63)}<str>${"]".repeat(63)}`);
  });

  it("fingerprints a 10,000-deep line the same way every time", () => {
    // Prepare
    const deep = `{"level":"error","message":{"a":${"[".repeat(10_000)}1${"]".repeat(10_000)}}}`;
    // Act / Assess
    expect(fingerprintMessage(deep)).toBe(fingerprintMessage(deep));
    expect(fingerprintMessage(deep)).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("firstLine", () => {
  // What firstLine returned before it stopped splitting the whole text.
  const splitFirstLine = (text: string): string => text.split(/\r\n|\r|\n/).map((line) => line.trim()).find((line) => line !== "") ?? "";

  it("returns what splitting the whole text would, for any text of line breaks, spaces and words", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("\r", "\n", "\r\n", " ", "\t", "\u2028", "a", "é") }), (text) => {
        // Act / Assess
        expect(firstLine(text)).toBe(splitFirstLine(text));
      }),
      { seed: 20261202, numRuns: 500 },
    );
  });
});
