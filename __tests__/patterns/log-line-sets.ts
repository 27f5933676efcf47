import { handler as emitterHandler } from "../../handlers/test-emitter/index";
import { formatLambdaLogLine, LambdaLogFormat, LambdaLogLevel } from "../../handlers/test-emitter/lambda-log-format";
import { endLine, initStartLine, invokeErrorLine, reportLine, startLine } from "../../lib/simulate/lambda-platform-lines";
import { NON_ERROR_LINES } from "../fixtures/log-lines";
import type { NamedLine } from "./deployed-patterns";

export const LOG_FORMATS: readonly LambdaLogFormat[] = ["text", "json"];
const TIMESTAMP = "2024-05-01T12:00:00.123Z";
const REQUEST_ID = "0f6a3c2e-5d4b-4a1e-8c7f-2b9d1e0a4c63";

/** What the test emitter's handler wrote: each console call, with the level Lambda's runtime gives it. */
interface ConsoleCall {
  readonly level: LambdaLogLevel;
  readonly message: string;
}

/**
 * Runs the real test-emitter handler (its request parsing and emission plan) with `console` captured, as Lambda's
 * runtime captures it: `console.info` is INFO, `console.error` is ERROR.
 */
async function emitterConsoleCalls(event: unknown, random: number): Promise<ConsoleCall[]> {
  const calls: ConsoleCall[] = [];
  const capture = (level: LambdaLogLevel) => (message: unknown) => {
    calls.push({ level, message: String(message) });
  };
  const spies = [
    jest.spyOn(console, "info").mockImplementation(capture("INFO")),
    jest.spyOn(console, "error").mockImplementation(capture("ERROR")),
    jest.spyOn(console, "warn").mockImplementation(capture("WARN")),
    jest.spyOn(console, "log").mockImplementation(capture("INFO")),
    // The random mode draws from Math.random; a fixed draw keeps the lines the same from run to run.
    jest.spyOn(Math, "random").mockReturnValue(random),
  ];
  try {
    await emitterHandler(event);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return calls;
}

/** The emitter's lines, in both of Lambda's log formats, split by the level the runtime writes them at. */
export interface EmitterLines {
  /** Its ERROR lines: the synthetic failures, and the runtime's `Invoke Error` line for a rejected request. */
  readonly errorLines: readonly NamedLine[];
  /** Its INFO lines (the health line). */
  readonly infoLines: readonly NamedLine[];
}

/**
 * What the test emitter really writes when invoked as the README says (`{"error_count": 3}`), in its random mode
 * (`{}`), with `{"error_count": 0}`, and when its request is invalid (the handler throws, and the runtime logs
 * `Invoke Error` at ERROR), each formatted exactly as Lambda's Node.js runtime writes it, in text and JSON.
 */
export async function emitterLines(): Promise<EmitterLines> {
  const errorLines: NamedLine[] = [];
  const infoLines: NamedLine[] = [];
  const invocations: readonly [description: string, event: unknown, random: number][] = [
    ['{"error_count": 3}', { error_count: 3 }, 0.5],
    ['{"error_count": 0}', { error_count: 0 }, 0.5],
    ["{} (random mode, drawing an error)", {}, 0],
    ["{} (random mode, drawing none)", {}, 0.99],
  ];
  for (const [description, event, random] of invocations) {
    const calls = await emitterConsoleCalls(event, random);
    for (const format of LOG_FORMATS) {
      for (const [index, call] of calls.entries()) {
        const line = {
          name: `emitter ${description}, console call ${index + 1} (${call.level}), ${format} format`,
          message: formatLambdaLogLine(call.level, call.message, { format, timestamp: TIMESTAMP, requestId: REQUEST_ID }),
        };
        if (call.level === "ERROR") errorLines.push(line);
        else infoLines.push(line);
      }
    }
  }

  const rejected = await emitterHandler({ error_count: "3" }).then(
    () => {
      throw new Error('the emitter accepted {"error_count": "3"}');
    },
    (error: Error) => error,
  );
  for (const format of LOG_FORMATS) {
    errorLines.push({
      name: `emitter's Invoke Error for {"error_count": "3"}, ${format} format`,
      message: invokeErrorLine(
        format,
        { errorType: rejected.name, errorMessage: rejected.message, stack: (rejected.stack ?? "").split("\n") },
        { timestamp: TIMESTAMP, requestId: REQUEST_ID },
      ),
    });
  }
  return { errorLines, infoLines };
}

/** Lambda's own lines around a successful invocation (INIT_START, START, END, REPORT), in both formats. */
export function platformLines(): NamedLine[] {
  const lines: NamedLine[] = [];
  for (const format of LOG_FORMATS) {
    const context = { format, systemLogLevel: "INFO" as const };
    const candidates: [string, string | undefined][] = [
      ["INIT_START", initStartLine(context, { time: TIMESTAMP, functionName: "log-monitor-test-test-emitter", region: "eu-west-1" })],
      ["START", startLine(context, { time: TIMESTAMP, requestId: REQUEST_ID })],
      ["END", endLine(context, { requestId: REQUEST_ID })],
      [
        "REPORT of a cold start",
        reportLine(context, {
          requestId: REQUEST_ID,
          time: TIMESTAMP,
          durationMs: 12.345,
          memorySizeMb: 128,
          maxMemoryUsedMb: 64,
          initDurationMs: 150.5,
          status: "success",
        }),
      ],
      [
        "REPORT",
        reportLine(context, { requestId: REQUEST_ID, time: TIMESTAMP, durationMs: 1.2, memorySizeMb: 128, maxMemoryUsedMb: 64, status: "success" }),
      ],
    ];
    for (const [name, message] of candidates) {
      if (message !== undefined) lines.push({ name: `${name}, ${format} format`, message });
    }
  }
  return lines;
}

/** INFO and WARN lines that mention ERROR without being errors, as the runtime writes them in both formats. */
export function mentionsOfErrorAtLowerLevels(): NamedLine[] {
  const lines: NamedLine[] = [];
  for (const format of LOG_FORMATS) {
    for (const [level, message] of [
      ["INFO", "no ERROR found"],
      ["INFO", "processed 3 orders with 0 errors"],
      ["WARN", "retrying after ERROR response from payments"],
    ] as const) {
      lines.push({
        name: `${level} "${message}", ${format} format`,
        message: formatLambdaLogLine(level, message, { format, timestamp: TIMESTAMP, requestId: REQUEST_ID }),
      });
    }
  }
  return lines;
}

/** The fixture's non-error lines, named. */
export function fixtureNonErrorLines(): NamedLine[] {
  return NON_ERROR_LINES.map((line) => ({ name: `fixture: ${line.name}`, message: line.message }));
}

/**
 * Words that may make a coarse pre-filter pass a line: level words of ERROR and above, and the words of Lambda's
 * platform failures. A line without any of them has no business reaching the processor.
 */
const ERROR_WORD = /err|severe|crit|alert|panic|fatal|emerg|timed out|timeout|exited|fail/i;

/** Whether a line mentions any word an error pre-filter may key on. */
export function mentionsAnErrorWord(message: string): boolean {
  return ERROR_WORD.test(message);
}
