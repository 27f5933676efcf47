/**
 * Recognises the shape of one CloudWatch Logs event message and pulls out what the classifier and the
 * fingerprint need: the levels the line states, whether Lambda itself reports a failure, the request id,
 * the error type, and the application's own text without the runtime's prefix.
 *
 * Shapes, and where each comes from:
 * - Node.js text format `<ISO ts>\t<requestId>\t<LEVEL>\t<message>`, and its error forms
 *   `Invoke Error \t{json}`, `Uncaught Exception \t{json}`, `Unhandled Promise Rejection \t{json}`
 *   (aws/aws-lambda-nodejs-runtime-interface-client: src/LogPatch.js `logTextToFd`, src/Errors.js `toFormatted`,
 *   src/CallbackContext.js `postError`, src/index.mjs).
 * - Python text format `[LEVEL]\t<ts>Z\t<requestId>\t<message>` and uncaught exceptions
 *   `[ERROR] KeyError: 'x'\nTraceback (most recent call last):\n...`
 *   (aws/aws-lambda-python-runtime-interface-client: awslambdaric/bootstrap.py `_setup_logging`, `log_error`).
 * - JSON format: the runtime's `{"timestamp","level","requestId","message"}` (plus `errorType`, `errorMessage`,
 *   `stackTrace` for errors), any structured logger's JSON (pino, bunyan, Powertools, python-json-logger), and
 *   Lambda's JSON system records `{"time","type":"platform.*","record":{...}}`
 *   (AWS Lambda Developer Guide: telemetry-schema-reference, "Status" has `errorType` when not `success`).
 * - Lambda platform text lines: `START`/`END`/`REPORT RequestId: ...`, `INIT_START`, `INIT_REPORT ... Phase: init
 *   Status: error Error Type: Runtime.Unknown`, `REPORT ... Status: timeout`, `<ts> <requestId> Task timed out
 *   after 3.00 seconds`, `RequestId: <id> Error: Runtime exited with error: signal: killed`.
 * - Anything else is a plain application line, whose level is the first level word at the start of the line
 *   (after a timestamp and bracketed or numeric prefix fields) or a logfmt `level=` field.
 */
import { boundJsonDepth } from "./bounded-json";
import { releaseOfJson } from "./release";
import { isLevelWord as isKnownLevel } from "./severity";

/**
 * The most of a line that is parsed: 1 MiB, CloudWatch Logs' largest event since April 2025 (AWS What's New
 * 2025-04, "CloudWatch Logs increases maximum log event size to 1 MB"). A UTF-8 byte count is never below the
 * UTF-16 length, so no line CloudWatch Logs delivers is shortened; a longer one (from another transport) is read
 * from its first 1 MiB only, so that the work per line stays bounded.
 */
export const MAX_PARSED_LINE_CHARS = 1024 * 1024;

/**
 * Envelopes read inside each other: a JSON line whose `message` is a string holding JSON whose `message` holds
 * JSON... Real lines have two (the runtime's and the application's); each level doubles the escaping, so a 1 MB
 * line could hold about 18, and this bound says so outright.
 */
const MAX_ENVELOPES = 4;

/**
 * Characters of a plain line's first line searched for its level: the level is among the first fields of every
 * format read here (a timestamp, bracketed fields, then the level; logfmt's `level=` among the first pairs), and
 * splitting a 1 MB single-line event into words would cost more than the rest of the line's processing.
 */
const MAX_LEVEL_SCAN_CHARS = 4096;

/** Which known shape a log line has. */
export type LogLineShape =
  | "lambda-node-text"
  | "lambda-python-text"
  | "python-uncaught-exception"
  | "lambda-platform-text"
  | "lambda-timeout"
  | "lambda-runtime-error"
  | "lambda-platform-json"
  | "json"
  | "plain";

/** What one log line says, independent of its format. */
export interface ParsedLogLine {
  /** Which known shape the line has. */
  readonly shape: LogLineShape;
  /**
   * The levels the line states, outermost first: the runtime's envelope level, then the application's own
   * (a JSON `level` inside the message, or a level word at its start). Strings or pino-style numbers.
   */
  readonly levels: readonly (string | number)[];
  /** Whether Lambda itself reports a failed init, a failed or timed-out invoke, or a crashed runtime. */
  readonly platformFailure: boolean;
  /** The Lambda request id, when the line carries one. */
  readonly requestId?: string;
  /** The error's type (`TypeError`, `KeyError`, `Runtime.ImportModuleError`), when the line carries one. */
  readonly errorType?: string;
  /** The application's own words, without the runtime's timestamp, request id and level. */
  readonly text: string;
  /**
   * The release the line's JSON names (`release`, `version`, `service.version`, an ECS task definition revision:
   * `releaseOfJson`, release.ts), when the line holds JSON that names one: the outermost object that does wins (a
   * JSON line, then the object or JSON string in its `message`; the JSON message of a Node.js or Python text line).
   * The log stream's Lambda version is not read here; `releaseOfEvent` adds it.
   */
  readonly release?: string;
}

/** The application's part of a line: what a message inside an envelope says about itself. */
interface ApplicationMessage {
  readonly levels: readonly (string | number)[];
  readonly requestId?: string | undefined;
  readonly errorType?: string | undefined;
  readonly text: string;
  readonly release?: string | undefined;
}

type JsonObject = Record<string, unknown>;

// Platform statuses that mean the phase did not succeed (telemetry-schema-reference "Status": success | failure |
// error, and `timeout` in REPORT/INIT_REPORT lines and platform.report records of timed-out invokes).
const FAILED_STATUSES: ReadonlySet<string> = new Set(["error", "failure", "timeout"]);

const NODE_TEXT =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)\t([^\t\r\n]*)\t(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\t([\s\S]*)$/;
const NODE_ERROR_FORM = /^(Invoke Error|Uncaught Exception|Unhandled Promise Rejection) \t(\{[\s\S]*\})$/;
const PYTHON_TEXT = /^\[(NOTSET|DEBUG|INFO|WARNING|ERROR|CRITICAL)\]\t(\S*)\t([^\t\r\n]*)\t([\s\S]*)$/;
// Only the uncaught-exception form has a space (not a tab) after `[ERROR]`, then an exception type.
const PYTHON_UNCAUGHT = /^\[ERROR\] ((?:[A-Za-z_]\w*\.)*[A-Z]\w*)(?::[ \t]|[ \t]*(?:\r\n|\r|\n|$))/;
const TIMEOUT = /^(?:\d{4}-\d{2}-\d{2}T[\d:.]+Z\s+)?(?:([\w-]+)\s+)?(Task timed out after \d+(?:\.\d+)? seconds)/;
const RUNTIME_ERROR = /^RequestId: (\S+)\s+(Error: [\s\S]*)$/;
const PLATFORM_TEXT =
  /^(?:(?:START|END|REPORT) RequestId: (\S+)|(?:INIT_START|INIT_REPORT|INIT_RUNTIME_DONE|RESTORE_START|RESTORE_REPORT|EXTENSION|TELEMETRY)\s)/;
const RUNTIME_ERROR_TYPE = /\b(Runtime\.[A-Za-z]+)\b/;

/**
 * Parses one log event message. Never throws: an unrecognised line is a `plain` line, JSON nested deeper than
 * `MAX_JSON_DEPTH` is read with its deeper values replaced by a placeholder (bounded-json.ts), and only the first
 * {@link MAX_PARSED_LINE_CHARS} characters are read.
 */
export function parseLogLine(message: string): ParsedLogLine {
  const text = (message.length > MAX_PARSED_LINE_CHARS ? message.slice(0, MAX_PARSED_LINE_CHARS) : message).trim();

  const json = parseJsonObject(text);
  if (json !== undefined) return parseJsonLine(json, text);

  const node = NODE_TEXT.exec(text);
  if (node) return runtimeTextLine("lambda-node-text", node[3] as string, node[2], node[4] ?? "");

  const python = PYTHON_TEXT.exec(text);
  if (python) return runtimeTextLine("lambda-python-text", python[1] as string, python[3], python[4] ?? "");

  const uncaught = PYTHON_UNCAUGHT.exec(text);
  if (uncaught) {
    return parsed("python-uncaught-exception", ["ERROR"], false, undefined, uncaught[1], text.slice("[ERROR] ".length));
  }

  const timeout = TIMEOUT.exec(text);
  if (timeout) return parsed("lambda-timeout", [], true, requestIdOrUndefined(timeout[1]), undefined, timeout[2] as string);

  const runtimeError = RUNTIME_ERROR.exec(text);
  if (runtimeError) {
    const body = runtimeError[2] as string;
    return parsed("lambda-runtime-error", [], true, runtimeError[1], RUNTIME_ERROR_TYPE.exec(body)?.[1], body);
  }

  const platform = PLATFORM_TEXT.exec(text);
  if (platform) {
    const status = /\bStatus: (\w+)/.exec(text)?.[1];
    const failed = status !== undefined && FAILED_STATUSES.has(status.toLowerCase());
    return parsed(
      "lambda-platform-text",
      [],
      failed,
      platform[1],
      failed ? /\bError Type: (\S+)/.exec(text)?.[1] : undefined,
      text,
    );
  }

  const level = detectPlainLevel(firstLine(text));
  return parsed("plain", level === undefined ? [] : [level], false, undefined, undefined, text);
}

function parsed(
  shape: LogLineShape,
  levels: readonly (string | number)[],
  platformFailure: boolean,
  requestId: string | undefined,
  errorType: string | undefined,
  text: string,
  release?: string,
): ParsedLogLine {
  return {
    shape,
    levels,
    platformFailure,
    ...(requestId ? { requestId } : {}),
    ...(errorType ? { errorType } : {}),
    text,
    ...(release ? { release } : {}),
  };
}

// The Node.js runtime writes the literal `undefined` when there is no current request (during init).
/**
 * A line in a runtime's text format (Node.js or Python): the runtime's level and request id around the application's
 * message, which may state a level, a request id and an error type of its own. The runtime's request id wins.
 */
function runtimeTextLine(shape: LogLineShape, level: string, requestId: string | undefined, message: string): ParsedLogLine {
  const inner = parseApplicationMessage(message);
  return parsed(shape, [level, ...inner.levels], false, requestIdOrUndefined(requestId) ?? inner.requestId, inner.errorType, inner.text, inner.release);
}

function requestIdOrUndefined(value: string | undefined): string | undefined {
  if (value === undefined || value === "" || value === "undefined" || value === "null") return undefined;
  return value;
}

/**
 * The object a JSON line holds, or `undefined`. The text is bounded in depth before it is parsed, so that nothing
 * that walks the result (`JSON.stringify` of a nested `message`) can run out of stack.
 */
function parseJsonObject(text: string): JsonObject | undefined {
  if (!text.startsWith("{") || !text.endsWith("}")) return undefined;
  const bounded = boundJsonDepth(text);
  if (bounded === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(bounded.text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringField(object: JsonObject, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = object[key];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

function parseJsonLine(object: JsonObject, raw: string): ParsedLogLine {
  const type = object.type;
  if (typeof type === "string" && type.startsWith("platform.")) {
    const record = parsePlatformRecord(type, object.record, raw);
    // platform.start's record carries the function version (releaseOfJson reads `record.version`).
    const release = releaseOfJson(object);
    return release === undefined ? record : { ...record, release };
  }
  const structured = parseStructured(object, raw, 1);
  return parsed(
    "json",
    structured.levels,
    false,
    structured.requestId,
    structured.errorType,
    structured.text,
    structured.release,
  );
}

function parsePlatformRecord(type: string, record: unknown, raw: string): ParsedLogLine {
  // platform.fault (Logs API) carries a plain string such as "RequestId: ... Process exited before completing request".
  if (typeof record === "string") {
    const requestId = /RequestId: (\S+)/.exec(record)?.[1];
    return parsed("lambda-platform-json", [], type === "platform.fault", requestId, RUNTIME_ERROR_TYPE.exec(record)?.[1], record);
  }
  if (!isObject(record)) return parsed("lambda-platform-json", [], false, undefined, undefined, raw);
  const status = stringField(record, "status");
  const failed = type === "platform.fault" || (status !== undefined && FAILED_STATUSES.has(status.toLowerCase()));
  const errorType = failed ? stringField(record, "errorType") : undefined;
  const phase = stringField(record, "phase");
  const text = [type, phase && `phase=${phase}`, status && `status=${status}`, errorType && `errorType=${errorType}`]
    .filter(Boolean)
    .join(" ");
  return parsed("lambda-platform-json", [], failed, stringField(record, "requestId"), errorType, text);
}

const LEVEL_KEYS = ["level", "severity", "levelname", "log.level", "lvl", "loglevel"] as const;
const REQUEST_ID_KEYS = ["requestId", "request_id", "awsRequestId", "aws_request_id", "function_request_id"] as const;

function parseStructured(object: JsonObject, raw: string, envelopes: number): ApplicationMessage {
  const outerLevel = structuredLevel(object);
  const message = object.message ?? object.msg;
  const messageObject = isObject(message) ? message : undefined;
  const inner = typeof message === "string" ? parseApplicationMessage(message, envelopes + 1) : undefined;

  const errorType =
    stringField(object, "errorType", "error.type", "exception.type") ??
    (messageObject && stringField(messageObject, "errorType")) ??
    nestedErrorType(object) ??
    inner?.errorType;
  const errorMessage = stringField(object, "errorMessage") ?? (messageObject && stringField(messageObject, "errorMessage"));

  let text: string;
  if (errorType !== undefined && errorMessage !== undefined) text = `${errorType}: ${errorMessage}`;
  else if (inner !== undefined) text = inner.text;
  else if (message !== undefined && message !== null) text = JSON.stringify(message);
  else text = raw;

  // The outermost object that names a release wins: the logger's own fields, then an object logged as the message
  // (the Node.js runtime's JSON format keeps `console.error({...})`'s object as `message`), then JSON in the message.
  const release = releaseOfJson(object) ?? (messageObject && releaseOfJson(messageObject)) ?? inner?.release;

  return {
    levels: [...(outerLevel === undefined ? [] : [outerLevel]), ...(inner?.levels ?? [])],
    requestId: stringField(object, ...REQUEST_ID_KEYS) ?? inner?.requestId,
    errorType,
    text,
    release,
  };
}

function structuredLevel(object: JsonObject): string | number | undefined {
  for (const key of LEVEL_KEYS) {
    const value = object[key];
    if (typeof value === "string" || typeof value === "number") return value;
  }
  // Elastic Common Schema nests it: {"log":{"level":"error"}}.
  const log = object.log;
  if (isObject(log) && (typeof log.level === "string" || typeof log.level === "number")) return log.level;
  return undefined;
}

// pino serialises errors as `err: {type, message, stack}`; Powertools for AWS Lambda as `error: {name, ...}`.
function nestedErrorType(object: JsonObject): string | undefined {
  for (const key of ["err", "error", "exception"]) {
    const value = object[key];
    if (isObject(value)) {
      const type = stringField(value, "type", "name", "errorType");
      if (type !== undefined) return type;
    }
  }
  return undefined;
}

/**
 * What a message inside a runtime envelope says about itself: a Node error form, JSON, or a level-prefixed line.
 * `envelopes` counts the envelopes around it; past {@link MAX_ENVELOPES} the message is read as a plain line.
 */
function parseApplicationMessage(message: string, envelopes = 1): ApplicationMessage {
  const text = message.trim();

  const errorForm = envelopes <= MAX_ENVELOPES ? NODE_ERROR_FORM.exec(text) : null;
  if (errorForm) {
    const details = parseJsonObject(errorForm[2] as string);
    const errorType = details && stringField(details, "errorType");
    const errorMessage = details && stringField(details, "errorMessage");
    return {
      levels: [],
      errorType,
      text: errorType !== undefined ? `${errorType}: ${errorMessage ?? ""}`.trim() : text,
    };
  }

  const json = envelopes <= MAX_ENVELOPES ? parseJsonObject(text) : undefined;
  if (json !== undefined) return parseStructured(json, text, envelopes);

  const level = detectPlainLevel(firstLine(text));
  return { levels: level === undefined ? [] : [level], text };
}

const LINE_BREAK = /\r\n|\r|\n/g;

/** The first line that has something other than whitespace on it, trimmed; found without splitting the whole text. */
export function firstLine(text: string): string {
  const lineBreak = new RegExp(LINE_BREAK);
  let start = 0;
  for (;;) {
    const match = lineBreak.exec(text);
    const candidate = text.slice(start, match === null ? text.length : match.index).trim();
    if (candidate !== "" || match === null) return candidate;
    start = match.index + match[0].length;
  }
}

// Timestamps applications put before the level: ISO-8601 (T or space, `.`/`,` fractions, zone), `2024/05/01 ...`
// (Go, nginx), time of day alone, syslog `May  1 12:00:00`, epoch seconds or milliseconds; optionally bracketed.
const LEADING_TIMESTAMP =
  /^[[(]?(?:\d{4}[-/]\d{2}[-/]\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2}| ?UTC)?)?|\d{2}:\d{2}:\d{2}(?:[.,]\d+)?|[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2}|\d{13}|\d{10}(?:\.\d+)?)[\])]?:?(?:\s+|$)/;
const LOGFMT_LEVEL = /(?:^|\s)(?:level|lvl|severity|loglevel)=(?:"([^"]*)"|([^\s"]+))/i;
// Ruby's Logger: `E, [2024-05-01T12:00:00.123456 #8] ERROR -- : message`.
const RUBY_LOGGER = /^[DIWEFAU], \[[^\]]*\]\s+([A-Za-z]+) -- /;

/**
 * The level word of a plain line, or `undefined`. Only the start of the line counts, so `INFO: no ERROR found`
 * is INFO and `WARN retrying after ERROR response` is WARN, while `ERRORS=0`, `error_count=0` and `0 errors` have
 * no level at all.
 */
function detectPlainLevel(wholeLine: string): string | undefined {
  const line = wholeLine.length > MAX_LEVEL_SCAN_CHARS ? wholeLine.slice(0, MAX_LEVEL_SCAN_CHARS) : wholeLine;
  const logfmt = LOGFMT_LEVEL.exec(line);
  const logfmtLevel = logfmt?.[1] ?? logfmt?.[2];
  if (logfmtLevel !== undefined && isKnownLevel(logfmtLevel)) return logfmtLevel;

  const ruby = RUBY_LOGGER.exec(line);
  if (ruby && isKnownLevel(ruby[1] as string)) return ruby[1];

  let rest = line;
  for (let i = 0; i < 2; i++) rest = rest.replace(LEADING_TIMESTAMP, "");

  const tokens = rest.split(/\s+/).slice(0, 4);
  for (const token of tokens) {
    const level = levelOfToken(token);
    if (level !== undefined) return level;
    if (!isPrefixField(token)) break;
  }

  // `2024-05-01 12:00:00,123 - app - ERROR - message` (Python's common "%(asctime)s - %(name)s - ..." format).
  const segments = rest.replace(/^[-|]\s+/, "").split(/\s+[-|]\s+/);
  if (segments.length > 1) {
    for (const segment of segments.slice(0, 4)) {
      const word = /^[[(]?([A-Za-z]+)[\])]?$/.exec(segment.trim())?.[1];
      if (word !== undefined && isKnownLevel(word)) return word;
    }
  }
  return undefined;
}

function levelOfToken(token: string): string | undefined {
  // [error], (ERROR), <crit>, [ERROR]: in any case.
  const bracketed = /^[[(<]([A-Za-z]+)[\])>]:?$/.exec(token)?.[1];
  if (bracketed !== undefined) return isKnownLevel(bracketed) ? bracketed : undefined;
  // error:, ERROR:, Error: and Python's basicConfig `ERROR:root:message`.
  const colon = /^([A-Za-z]+):/.exec(token)?.[1];
  if (colon !== undefined) return isKnownLevel(colon) ? colon : undefined;
  // Monolog: `production.ERROR:`.
  const channel = /^[\w-]+\.([A-Z]+):$/.exec(token)?.[1];
  if (channel !== undefined) return isKnownLevel(channel) ? channel : undefined;
  // A bare word counts only in capitals, so prose such as "error handling enabled" is not a level.
  const bare = /^([A-Z]+)$/.exec(token)?.[1];
  if (bare !== undefined) return isKnownLevel(bare) ? bare : undefined;
  return undefined;
}

// Fields that loggers put between the timestamp and the level: [thread], (logger), pids, `app[123]:`, `#1`.
function isPrefixField(token: string): boolean {
  return /^\[[^\]]*\]:?$/.test(token) || /^\([^)]*\)$/.test(token) || /^#?\d+:?$/.test(token) || /^[\w.-]+\[\d+\]:$/.test(token);
}
