/**
 * The release that produced a log event, where the logs carry it, and an order between releases where they have one.
 *
 * Sources, in precedence (the first that holds a usable value wins):
 * 1. A JSON line's own `release` field (Sentry's name for it, and what teams add by hand).
 * 2. Its `version` field; for Lambda's JSON system records (`{"time","type":"platform.*","record":{...}}`), the
 *    record's `version`: `platform.start` has "version? – String", e.g. `"$LATEST"` (AWS Lambda Developer Guide,
 *    "Lambda Telemetry API Event schema reference", platform.start,
 *    https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html). The records that report a failure
 *    (`platform.runtimeDone`, `platform.report`, `platform.initReport`) have no version, and neither has the runtime's
 *    own JSON application line, which holds `timestamp`, `level`, `requestId`, `message` and, for an error,
 *    `errorType`, `errorMessage`, `stackTrace` (aws/aws-lambda-nodejs-runtime-interface-client, src/LogPatch.js
 *    `formatJsonMessage`; AWS Lambda Developer Guide, "Log and monitor Node.js Lambda functions", "Using Lambda
 *    advanced logging controls with Node.js", https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html);
 *    for those, the log stream's name says it (5.).
 * 3. `service.version`, nested (`"service":{"version":"1.4.2"}`, as Elastic Common Schema loggers write it) or as
 *    the flat key `"service.version"` OpenTelemetry names: "The version string of the service API or
 *    implementation. The format is not defined by these conventions." (OpenTelemetry semantic conventions, Service
 *    attributes, as published in OpenTelemetry.SemConv.ServiceAttributes,
 *    https://hexdocs.pm/opentelemetry_semantic_conventions/OpenTelemetry.SemConv.ServiceAttributes.html).
 *    Powertools for AWS Lambda writes `service` as the service's name (a string): no version, passed over.
 * 4. The ECS task definition revision, under the names that carry it:
 *    - `Revision` beside `Family`, as the task metadata endpoint v4 returns them ("Revision: The revision of the
 *      Amazon ECS task definition for the task", Amazon ECS Developer Guide, "Amazon ECS task metadata V4 JSON
 *      response", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4-response.html);
 *      `Revision` alone is too common a word to be taken for it;
 *    - FireLens's `ecs_task_definition`, the task definition name and revision that the task is using, one of the
 *      fields Amazon ECS adds to each log record unless `enable-ecs-log-metadata` is false (Amazon ECS User Guide,
 *      "Example Amazon ECS task definition: Route logs to FireLens",
 *      https://docs.aws.amazon.com/AmazonECS/latest/userguide/firelens-taskdef.html), written `<family>:<revision>`
 *      (`"ecs_task_definition": "demo:7"`: aws-samples/amazon-ecs-firelens-examples,
 *      examples/fluent-bit/add-keys/README.md): its revision;
 *    - OpenTelemetry's `aws.ecs.task.revision` ("The revision for this task definition", examples 8, 26: semantic
 *      conventions, resource attributes, https://docs.rs/opentelemetry-semantic-conventions/latest/opentelemetry_semantic_conventions/resource/index.html),
 *      flat or nested;
 *    - `ecs.task.definition.revision` (flat or nested), `TaskDefinitionRevision`, `taskDefinitionRevision`, which
 *      applications write when they copy the metadata into their logs by hand.
 * 5. The Lambda function version in the log stream's name: `YYYY/MM/DD/[<version>]<instance id>`, or
 *    `YYYY/MM/DD/<function name>[<version>]<instance id>` in a custom log group ("The log stream naming format for
 *    custom log groups follows this convention: YYYY/MM/DD/<function_name>[<function_version>][<execution_environment_GUID>]",
 *    AWS Lambda Developer Guide, "Configuring CloudWatch log groups",
 *    https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html; "YYYY/MM/DD[Function
 *    version][Execution environment GUID]", AWS Lambda Operator Guide, "How CloudWatch structures logs",
 *    https://docs.aws.amazon.com/zh_tw/lambda/latest/operatorguide/log-structure.html, English text; the Node.js
 *    logging page above shows `"AWS_LAMBDA_LOG_STREAM_NAME": "2019/06/07/[$LATEST]e6f4a0c4241adcd70c262d34c0bbc85c"`).
 *    The version is `$LATEST` or a published version's number.
 *
 * A value is a string or a finite number (a number becomes its decimal string), trimmed, made well-formed (a lone
 * surrogate from a `\uD800` escape becomes U+FFFD) and cut to {@link MAX_RELEASE_CHARS}; an empty string, `null`,
 * a Boolean, an object or an array is no value, and the next source is asked.
 */
import { toWellFormed } from "./well-formed";

/**
 * The most characters of a release kept. Real release names are far shorter: a container image tag "may contain a
 * maximum of 128 characters" (Docker documentation, "docker image tag",
 * https://docs.docker.com/engine/reference/commandline/image_tag/), a git SHA-256 is 64 hex digits, a semantic
 * version or a Lambda version a few. A longer value is no release name but a value logged under the name by mistake
 * (a changelog, a stack trace); its first 128 characters say as much as the rest, and the cap keeps the stored
 * attribute small (at most 384 UTF-8 bytes).
 */
export const MAX_RELEASE_CHARS = 128;

/** What {@link releaseOfEvent} reads: the event's log stream and, for a JSON line, the object it was parsed from. */
export interface ReleaseInput {
  /** The log stream's name (the delivery's `logStream`). */
  readonly logStream: string;
  /** The JSON object the line was parsed from, when the line is JSON. */
  readonly json?: Record<string, unknown> | undefined;
}

type JsonObject = Record<string, unknown>;

/**
 * The release that produced an event, or `undefined` when neither its line nor its log stream says: see the module
 * comment for the sources and their precedence. Never throws, whatever the input: a JSON object whose reads throw (a
 * getter, a Proxy) is passed over and the stream still counts; an input that is not what the types say (a `null`, a
 * number for the stream) says `undefined`.
 */
export function releaseOfEvent(input: ReleaseInput): string | undefined {
  try {
    return releaseOfJson(input.json) ?? releaseOfLogStream(input.logStream);
  } catch {
    return undefined;
  }
}

/**
 * The release a JSON object names (sources 1 to 4 of the module comment), or `undefined`. Never throws. It reads at
 * most a few levels into the object, so a deep object costs no more than a flat one.
 */
export function releaseOfJson(json: unknown): string | undefined {
  try {
    if (!isObject(json)) return undefined;
    return (
      releaseValue(json.release) ??
      releaseValue(json.version) ??
      platformRecordVersion(json) ??
      releaseValue(at(json, "service", "version")) ??
      releaseValue(json["service.version"]) ??
      ecsTaskRevision(json)
    );
  } catch {
    return undefined;
  }
}

/** The Lambda function version in a log stream's name (source 5), or `undefined`. Never throws. */
export function releaseOfLogStream(logStream: unknown): string | undefined {
  try {
    if (typeof logStream !== "string") return undefined;
    return releaseValue(LAMBDA_LOG_STREAM.exec(logStream)?.[1]);
  } catch {
    return undefined;
  }
}

// `YYYY/MM/DD/`, an optional function name (custom log groups), then `[$LATEST]` or `[<number>]`. The class before
// the bracket excludes brackets and slashes, so the match is linear in the name's length.
const LAMBDA_LOG_STREAM = /^\d{4}\/\d{2}\/\d{2}\/[^[\]/]*\[(\$LATEST|\d+)\]/;

function platformRecordVersion(json: JsonObject): string | undefined {
  const type = json.type;
  if (typeof type !== "string" || !type.startsWith("platform.")) return undefined;
  return releaseValue(at(json, "record", "version"));
}

// A FireLens `ecs_task_definition` value: `<family>:<revision>`. Families are letters, numbers, hyphens and
// underscores; the revision is a whole number.
const FAMILY_AND_REVISION = /^[A-Za-z0-9_-]+:(\d+)$/;

function ecsTaskRevision(json: JsonObject): string | undefined {
  const firelens = json.ecs_task_definition;
  const firelensRevision =
    typeof firelens === "string" && firelens.length <= 512 ? FAMILY_AND_REVISION.exec(firelens.trim())?.[1] : undefined;
  return (
    (typeof json.Family === "string" ? releaseValue(json.Revision) : undefined) ??
    releaseValue(firelensRevision) ??
    releaseValue(json["aws.ecs.task.revision"]) ??
    releaseValue(at(json, "aws", "ecs", "task", "revision")) ??
    releaseValue(json["ecs.task.definition.revision"]) ??
    releaseValue(at(json, "ecs", "task", "definition", "revision")) ??
    releaseValue(json.TaskDefinitionRevision) ??
    releaseValue(json.taskDefinitionRevision)
  );
}

/** The value at a path of object keys, or `undefined` where a step is not an object. */
function at(json: JsonObject, ...path: string[]): unknown {
  let value: unknown = json;
  for (const key of path) {
    if (!isObject(value)) return undefined;
    value = value[key];
  }
  return value;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A string or finite number as a release: trimmed, well-formed, at most {@link MAX_RELEASE_CHARS}; else `undefined`. */
function releaseValue(value: unknown): string | undefined {
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "number" && Number.isFinite(value)) text = String(value);
  else return undefined;
  // Only the head is read: trimming a 1 MB value of spaces would cost more than it could tell.
  text = text.length > 4 * MAX_RELEASE_CHARS ? text.slice(0, 4 * MAX_RELEASE_CHARS) : text;
  text = text.trim();
  if (text.length > MAX_RELEASE_CHARS) {
    // Cut at a code point boundary: a high surrogate whose low half would be cut off goes with it.
    const end = isHighSurrogate(text.charCodeAt(MAX_RELEASE_CHARS - 1)) ? MAX_RELEASE_CHARS - 1 : MAX_RELEASE_CHARS;
    text = text.slice(0, end).trimEnd();
  }
  return text === "" ? undefined : toWellFormed(text);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * The largest major version {@link releaseOrder} orders: the largest for which every version's order is a safe
 * integer (2 × (4502 × 10¹² + 999,999 × 10⁶ + 999,999) + 1 < 2⁵³). It leaves room for calendar versions
 * (`2024.5.1`) up to the year 4502.
 */
export const MAX_ORDERED_MAJOR = 4502;

/** The largest minor and patch numbers {@link releaseOrder} orders: six digits each. */
export const MAX_ORDERED_MINOR_PATCH = 999_999;

const WHOLE_NUMBER = /^\d+$/;
// Semantic Versioning 2.0.0: MAJOR.MINOR.PATCH, an optional pre-release (`-` then dot-separated identifiers of
// [0-9A-Za-z-]) and optional build metadata (`+` then the same), here with an optional leading `v`/`V`. Leading
// zeros, which the specification forbids, are read as the number they spell.
const SEMANTIC_VERSION =
  /^[vV]?(\d{1,16})\.(\d{1,16})\.(\d{1,16})(-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/**
 * A number that orders releases where they are comparable, or `undefined` where they are not. Always a safe integer
 * when defined.
 *
 * - A whole number (a Lambda version, an ECS revision: `"42"`) is itself: 42. Beyond `Number.MAX_SAFE_INTEGER` it
 *   is `undefined`.
 * - A semantic version `MAJOR.MINOR.PATCH`, with or without a leading `v`, is
 *   `2 × (MAJOR × 10¹² + MINOR × 10⁶ + PATCH) + 1`, and a pre-release of it (`1.4.2-rc.1`) one less, so that it sorts
 *   just below its release and above every lower version; all pre-releases of one version share that number (their
 *   own order, `alpha` < `beta` < `rc`, is not kept). Build metadata (`+build.5`) is ignored, as Semantic Versioning
 *   says precedence does. MINOR and PATCH above {@link MAX_ORDERED_MINOR_PATCH} or MAJOR above
 *   {@link MAX_ORDERED_MAJOR} would overlap other versions' numbers or leave the safe integers: such a version is
 *   `undefined`, never misordered.
 * - Anything else (`$LATEST`, a git SHA, an image tag such as `main-3f2a1b`) is `undefined`.
 *
 * Numbers only compare releases of one scheme: a whole number and a semantic version both get a number, but 42 and
 * `0.0.21` (43) tell nothing of each other.
 */
export function releaseOrder(release: string): number | undefined {
  if (typeof release !== "string" || release.length > 4 * MAX_RELEASE_CHARS) return undefined;
  const text = release.trim();
  if (WHOLE_NUMBER.test(text)) {
    const value = Number(text);
    return Number.isSafeInteger(value) ? value : undefined;
  }
  const semantic = SEMANTIC_VERSION.exec(text);
  if (semantic === null) return undefined;
  const major = Number(semantic[1]);
  const minor = Number(semantic[2]);
  const patch = Number(semantic[3]);
  if (major > MAX_ORDERED_MAJOR || minor > MAX_ORDERED_MINOR_PATCH || patch > MAX_ORDERED_MINOR_PATCH) return undefined;
  const preRelease = semantic[4] !== undefined;
  return 2 * (major * 1e12 + minor * 1e6 + patch) + (preRelease ? 0 : 1);
}
