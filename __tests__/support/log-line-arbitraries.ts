import fc from "fast-check";

/**
 * fast-check generators of log lines at the limits of what one CloudWatch Logs event can hold: JSON nested past
 * 10,000 levels, events up to 1 MB (CloudWatch Logs' limit since April 2025: AWS What's New, "CloudWatch Logs
 * increases maximum log event size to 1 MB"), error types, request ids and stacks of hundreds of KB, lone
 * surrogates, NUL and control characters, in every format the processor reads.
 */

/** CloudWatch Logs' largest event, in UTF-8 bytes. */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** Characters that break naive code: NUL, controls, line breaks, lone and paired surrogates, JSON syntax, wide ones. */
const HOSTILE = [
  "\u0000", "\u0001", "\u0007", "\u001b", "\u007f", "\t", "\r", "\n", "\r\n", "\u2028",
  "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uD83D\uDE00", "é", "漢", "\uFFFD",
  '"', "\\", "{", "}", "[", "]", ":", ",", " ",
];

/** One character, hostile a third of the time, otherwise any code point. */
export const hostileChar: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE), weight: 1 },
  { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 2 },
);

/** Short text of hostile characters. */
export const hostileText = (maxLength = 40): fc.Arbitrary<string> => fc.string({ unit: hostileChar, maxLength });

/** Text of about `bytes` UTF-8 bytes (never more), made by repeating a short hostile unit: cheap even at 1 MB. */
export function repeatedToBytes(unit: string, bytes: number): string {
  const safeUnit = unit === "" ? "x" : unit;
  const unitBytes = Buffer.byteLength(safeUnit, "utf8");
  return safeUnit.repeat(Math.max(1, Math.floor(bytes / unitBytes)));
}

/** A size in bytes: small, a few hundred KB, or at the 1 MB event limit. */
export const fieldBytes: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 1, max: 300 }),
  fc.integer({ min: 100 * 1024, max: 450 * 1024 }),
  fc.integer({ min: MAX_EVENT_BYTES - 4096, max: MAX_EVENT_BYTES - 512 }),
);

/** A large hostile string (a unit repeated to a size from {@link fieldBytes}). */
export const bigText: fc.Arbitrary<string> = fc
  .tuple(hostileText(8), fieldBytes)
  .map(([unit, bytes]) => repeatedToBytes(unit, bytes));

/** A depth of nesting: shallow, around the 64-level bound, around where recursion overflows, and past 10,000. */
export const nestingDepth: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 70 }),
  fc.constantFrom(63, 64, 65, 5000, 6000, 10_000, 10_001),
  fc.integer({ min: 4000, max: 12_000 }),
);

/**
 * A JSON value nested `depth` containers deep around a leaf, as text (built by loops: a value this deep cannot be
 * passed to `JSON.stringify`). `shape` picks arrays, objects, or both alternately.
 */
export function nestedJson(depth: number, shape: "array" | "object" | "mixed", leaf: string): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let level = 0; level < depth; level++) {
    const array = shape === "array" || (shape === "mixed" && level % 2 === 0);
    open.push(array ? "[" : '{"k":');
    close.push(array ? "]" : "}");
  }
  return `${open.join("")}${leaf}${close.reverse().join("")}`;
}

/** Arbitrary JSON text: a small random value wrapped in up to 12,000 levels of nesting. */
export const deepJsonValue: fc.Arbitrary<string> = fc
  .tuple(nestingDepth, fc.constantFrom("array" as const, "object" as const, "mixed" as const), fc.jsonValue({ maxDepth: 3 }))
  .map(([depth, shape, leaf]) => nestedJson(depth, shape, JSON.stringify(leaf) ?? "null"));

const TIMESTAMP = "2024-05-01T12:00:00.123Z";

/** A request id that the text formats can carry (no tab or line break), possibly huge. */
const textRequestId: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  bigText.map((text) => text.replace(/[\t\r\n]/g, "_")),
);

/** Any JSON-able payload a field may hold: text (possibly huge) or deep JSON. */
const payloadJson: fc.Arbitrary<string> = fc.oneof(
  bigText.map((text) => JSON.stringify(text)),
  hostileText().map((text) => JSON.stringify(text)),
  deepJsonValue,
);

/** A generated log line and whether it is an error line in the processor's terms. */
export interface GeneratedLine {
  /** Which format it was built in, for failure messages. */
  readonly format: string;
  readonly message: string;
  /** True when the line states ERROR or worse (or a platform failure) in a place every reader looks. */
  readonly isError: boolean;
}

/**
 * Error lines in every format the processor reads, each at the limits: deep JSON messages, huge error types,
 * request ids and stacks, hostile characters. Each states its level where the format puts it, so each must
 * become an incident.
 */
export const errorLine: fc.Arbitrary<GeneratedLine> = fc
  .oneof(
    // Lambda JSON log format (Node.js), with errorType and stackTrace possibly huge and a message possibly deep.
    fc
      .tuple(payloadJson, fc.option(bigText), fc.option(bigText), fc.option(bigText))
      .map(([message, errorType, requestId, stack]) => ({
        format: "lambda-json",
        message:
          `{"timestamp":"${TIMESTAMP}","level":"ERROR"` +
          (requestId === null ? "" : `,"requestId":${JSON.stringify(requestId)}`) +
          (errorType === null ? "" : `,"errorType":${JSON.stringify(errorType)},"errorMessage":"failed"`) +
          (stack === null ? "" : `,"stackTrace":[${JSON.stringify(stack)}]`) +
          `,"message":${message}}`,
        isError: true,
      })),
    // pino: numeric level, `err` with a huge type and stack.
    fc.tuple(bigText, bigText, deepJsonValue).map(([type, stack, extra]) => ({
      format: "pino",
      message: `{"level":50,"time":1714564800000,"err":{"type":${JSON.stringify(type)},"stack":${JSON.stringify(stack)}},"extra":${extra},"msg":"failed"}`,
      isError: true,
    })),
    // Node.js text format carrying deep JSON, or an Invoke Error with a huge error type.
    fc.tuple(textRequestId, deepJsonValue).map(([requestId, json]) => ({
      format: "node-text-json",
      message: `${TIMESTAMP}\t${requestId}\tERROR\t${json}`,
      isError: true,
    })),
    fc.tuple(textRequestId, bigText, payloadJson).map(([requestId, errorType, stack]) => ({
      format: "node-invoke-error",
      message: `${TIMESTAMP}\t${requestId}\tERROR\tInvoke Error \t{"errorType":${JSON.stringify(errorType)},"errorMessage":"x","stack":[${stack}]}\n`,
      isError: true,
    })),
    // Python text format, and an uncaught exception whose type is huge.
    fc.tuple(textRequestId, bigText).map(([requestId, text]) => ({
      format: "python-text",
      message: `[ERROR]\t${TIMESTAMP}\t${requestId}\t${text}`,
      isError: true,
    })),
    fc.tuple(fc.integer({ min: 1, max: 400 * 1024 }), bigText).map(([typeLength, trace]) => ({
      format: "python-uncaught",
      message: `[ERROR] ${"E".repeat(typeLength)}Error: failed\nTraceback (most recent call last):\n${trace}`,
      isError: true,
    })),
    // Lambda platform failures whose request id is huge.
    fc.string({ unit: fc.constantFrom("a", "b", "0", "-", "_"), minLength: 1, maxLength: 8 }).chain((unit) =>
      fieldBytes.map((bytes) => ({
        format: "lambda-timeout",
        message: `${TIMESTAMP} ${repeatedToBytes(unit, bytes)} Task timed out after 3.00 seconds`,
        isError: true,
      })),
    ),
    fc.tuple(bigText).map(([requestId]) => ({
      format: "runtime-exited",
      message: `RequestId: ${requestId.replace(/\s/g, "_")} Error: Runtime exited with error: signal: killed`,
      isError: true,
    })),
    // A plain line with a level word first, then anything at all.
    fc.tuple(fc.constantFrom("ERROR", "FATAL", "[error]", "CRITICAL:"), bigText).map(([level, text]) => ({
      format: "plain",
      message: `${level} ${text.replace(/=/g, "_")}`,
      isError: true,
    })),
  )
  // CloudWatch Logs delivers no event over 1 MB; longer lines are `oversizeLine`.
  .filter((line) => Buffer.byteLength(line.message, "utf8") <= MAX_EVENT_BYTES);

/**
 * Lines past the 1 MB event limit (another transport could carry one): they must not break anything either,
 * though only their first 1 MiB is read.
 */
export const oversizeLine: fc.Arbitrary<GeneratedLine> = fc
  .tuple(hostileText(8), fc.integer({ min: MAX_EVENT_BYTES + 1, max: MAX_EVENT_BYTES * 2 }), deepJsonValue)
  .map(([unit, bytes, json]) => ({
    format: "oversize",
    message: `{"level":"error","message":${json},"body":${JSON.stringify(repeatedToBytes(unit, bytes))}}`,
    isError: false,
  }));

/** Lines that may or may not be errors: arbitrary strings and arbitrary deep JSON, which must never break anything. */
export const anyLine: fc.Arbitrary<GeneratedLine> = fc.oneof(
  errorLine,
  hostileText(200).map((message) => ({ format: "arbitrary", message, isError: false })),
  deepJsonValue.map((message) => ({ format: "deep-json", message, isError: false })),
  fc.tuple(deepJsonValue, fc.constantFrom("info", "error", "fatal")).map(([json, level]) => ({
    format: "deep-json-level",
    message: `{"level":"${level}","message":${json}}`,
    isError: level !== "info",
  })),
  bigText.map((message) => ({ format: "big-arbitrary", message, isError: false })),
  oversizeLine,
);
