import fc from "fast-check";
import { buildIncidents } from "../../../handlers/log-processor/incident";
import { fromIncidentItem, toIncidentItem } from "../../../handlers/log-processor/incident-item";
import { parseLogLine } from "../../../handlers/log-processor/log-line";
import { LogsDataMessage } from "../../../handlers/log-processor/logs-payload";
import {
  MAX_ORDERED_MAJOR,
  MAX_ORDERED_MINOR_PATCH,
  MAX_RELEASE_CHARS,
  releaseOfEvent,
  releaseOfJson,
  releaseOfLogStream,
  releaseOrder,
} from "../../../handlers/log-processor/release";
import { REQUEST_ID } from "../../fixtures/log-lines";

const SEED = 20261202;
const RUNS = 300;

// Lambda log stream names: `YYYY/MM/DD/[<version>]<instance id>` ("AWS_LAMBDA_LOG_STREAM_NAME":
// "2019/06/07/[$LATEST]e6f4a0c4241adcd70c262d34c0bbc85c": AWS Lambda Developer Guide, "Log and monitor Node.js Lambda
// functions", https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html), and in a custom log group
// `YYYY/MM/DD/<function_name>[<function_version>][<execution_environment_GUID>]` (AWS Lambda Developer Guide,
// "Configuring CloudWatch log groups", https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html).
const LATEST_STREAM = "2024/01/31/[$LATEST]0123456789abcdef0123456789abcdef";
const VERSION_42_STREAM = "2024/01/31/[42]0123456789abcdef0123456789abcdef";
const CUSTOM_GROUP_STREAM = "2024/01/31/orders-api[7]0123456789abcdef0123456789abcdef";
// A FireLens stream (cloudwatch_logs output, `log_stream_prefix` + task id): no Lambda version in it.
const FIRELENS_STREAM = "orders-firelens-3de392df6bfa470b97edaa6f482cd7a6";

/** The release of one event, as the processor reads it: the line parsed once, then the stream. */
function releaseOfLine(message: string, logStream: string): string | undefined {
  return parseLogLine(message).release ?? releaseOfEvent({ logStream });
}

describe("releaseOfEvent: each source, from a real-looking line", () => {
  it("reads the function version in a Lambda log stream's name: a published version", () => {
    // A Node.js text line says nothing of the release; the stream `[42]` does.
    const line = `2024-01-31T12:00:00.123Z\t${REQUEST_ID}\tERROR\tpayment declined: card_expired\n`;
    expect(releaseOfLine(line, VERSION_42_STREAM)).toBe("42");
  });

  it("reads `$LATEST` from a stream of the unpublished version", () => {
    expect(releaseOfEvent({ logStream: LATEST_STREAM })).toBe("$LATEST");
    expect(releaseOfLine("[ERROR] KeyError: 'order_id'\nTraceback (most recent call last):\n", LATEST_STREAM)).toBe("$LATEST");
  });

  it("reads the version in a custom log group's stream name, after the function name", () => {
    expect(releaseOfEvent({ logStream: CUSTOM_GROUP_STREAM })).toBe("7");
  });

  it("finds no release in a stream that is not Lambda's, nor in a bracket anywhere but after the date", () => {
    expect(releaseOfEvent({ logStream: FIRELENS_STREAM })).toBeUndefined();
    expect(releaseOfEvent({ logStream: "ecs/app/[42]abc" })).toBeUndefined();
    expect(releaseOfEvent({ logStream: "2024/01/31/a/b[42]abc" })).toBeUndefined();
    expect(releaseOfEvent({ logStream: "2024/01/31/[v1.2]abc" })).toBeUndefined();
    expect(releaseOfEvent({ logStream: "" })).toBeUndefined();
  });

  it("takes no release from the Lambda runtime's own JSON line, whose fields hold none, so the stream's version stands", () => {
    // The Node.js runtime's JSON log format (advanced logging controls): timestamp, level, requestId, message, and
    // errorType/errorMessage/stackTrace for an Error (aws/aws-lambda-nodejs-runtime-interface-client, src/LogPatch.js
    // `formatJsonMessage`; AWS Lambda Developer Guide, "Log and monitor Node.js Lambda functions", "Using Lambda advanced
    // logging controls with Node.js", https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html).
    const line = JSON.stringify({
      timestamp: "2024-01-31T12:00:00.123Z",
      level: "ERROR",
      requestId: REQUEST_ID,
      message: "payment declined",
      errorType: "PaymentError",
      errorMessage: "card_expired",
      stackTrace: ["PaymentError: card_expired", "    at charge (/var/task/index.mjs:12:11)"],
    });
    expect(parseLogLine(line).release).toBeUndefined();
    expect(releaseOfLine(line, VERSION_42_STREAM)).toBe("42");
  });

  it("reads a version from the object the Node.js runtime's JSON format keeps as `message` (console.error of an object)", () => {
    // formatJsonMessage keeps a single logged value as `message` itself, so an object logged stays an object.
    const line = JSON.stringify({
      timestamp: "2024-01-31T12:00:00.123Z",
      level: "ERROR",
      requestId: REQUEST_ID,
      message: { msg: "payment declined", version: "1.4.2" },
    });
    expect(releaseOfLine(line, VERSION_42_STREAM)).toBe("1.4.2");
  });

  it("reads the application's JSON inside a Node.js text line", () => {
    const line = `2024-01-31T12:00:00.123Z\t${REQUEST_ID}\tERROR\t{"level":"error","msg":"payment declined","release":"orders@2024.01.31-3"}\n`;
    expect(releaseOfLine(line, VERSION_42_STREAM)).toBe("orders@2024.01.31-3");
  });

  it("reads a version appended to a Powertools for AWS Lambda logger line, and takes its `service` for the name it is", () => {
    // Powertools' Logger writes the service name as `service` in every line ("Sets the name of service of which the
    // Lambda function is part of, that will be present across all log statements") and appends keys on request
    // (Powertools for AWS Lambda (TypeScript), Logger, https://docs.powertools.aws.dev/lambda/typescript/1.12.1/core/logger).
    const powertools = {
      level: "ERROR",
      message: "payment declined",
      timestamp: "2024-01-31T12:00:00.123Z",
      service: "payments",
      cold_start: false,
      function_arn: "arn:aws:lambda:eu-west-1:123456789012:function:payments",
      function_memory_size: 256,
      function_name: "payments",
      function_request_id: REQUEST_ID,
      sampling_rate: 0,
      xray_trace_id: "1-65ba3a40-1b2c3d4e5f6a7b8c9d0e1f2a",
    };
    expect(releaseOfLine(JSON.stringify({ ...powertools, version: "1.4.2" }), VERSION_42_STREAM)).toBe("1.4.2");
    // Without an appended version, `service` (a name, not an object) is no release: the stream's version stands.
    expect(releaseOfLine(JSON.stringify(powertools), VERSION_42_STREAM)).toBe("42");
  });

  it("reads service.version, nested (Elastic Common Schema) or as OpenTelemetry's flat key", () => {
    // OpenTelemetry: "service.version: The version string of the service API or implementation" (OpenTelemetry.SemConv
    // ServiceAttributes, https://hexdocs.pm/opentelemetry_semantic_conventions/OpenTelemetry.SemConv.ServiceAttributes.html).
    const ecs = `{"@timestamp":"2024-01-31T12:00:00.123Z","log.level":"error","message":"payment declined","service":{"name":"payments","version":"2.0.0"}}`;
    const otel = `{"timestamp":"2024-01-31T12:00:00.123Z","severity":"ERROR","body":"payment declined","service.name":"payments","service.version":"a01dbef8a"}`;
    expect(releaseOfLine(ecs, LATEST_STREAM)).toBe("2.0.0");
    expect(releaseOfLine(otel, LATEST_STREAM)).toBe("a01dbef8a");
  });

  it("reads the task definition revision of a FireLens line (`ecs_task_definition`: family:revision)", () => {
    // FireLens adds ecs_cluster, ecs_task_arn, ecs_task_definition ("the task definition name and revision") to each
    // record (Amazon ECS User Guide, "Example Amazon ECS task definition: Route logs to FireLens",
    // https://docs.aws.amazon.com/AmazonECS/latest/userguide/firelens-taskdef.html); a record looks like
    // `"ecs_task_definition": "demo:7"` (aws-samples/amazon-ecs-firelens-examples, examples/fluent-bit/add-keys/README.md).
    const line = JSON.stringify({
      container_id: "e54cccfac2b87417f71877907f67879068420042828067ae0867e60a63529d35",
      container_name: "/ecs-orders-7-app-a4eafbb3d4c7f1e16e00",
      ecs_cluster: "prod",
      ecs_task_arn: "arn:aws:ecs:eu-west-1:123456789012:task/prod/3de392df6bfa470b97edaa6f482cd7a6",
      ecs_task_definition: "orders:7",
      log: "ERROR payment declined: card_expired",
      source: "stderr",
    });
    expect(releaseOfLine(line, FIRELENS_STREAM)).toBe("7");
    expect(releaseOfJson({ ecs_task_definition: "orders" })).toBeUndefined();
    expect(releaseOfJson({ ecs_task_definition: "orders:latest" })).toBeUndefined();
  });

  it("reads Revision beside Family, as the task metadata endpoint v4 names them, and not Revision alone", () => {
    // "Family: The family of the Amazon ECS task definition for the task. Revision: The revision of the Amazon ECS task
    // definition for the task." (Amazon ECS Developer Guide, "Amazon ECS task metadata V4 JSON response",
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4-response.html)
    expect(releaseOfJson({ level: "error", Family: "orders", Revision: "26" })).toBe("26");
    expect(releaseOfJson({ level: "error", Revision: "26" })).toBeUndefined();
  });

  it("reads the other names of the task definition revision: OpenTelemetry's and hand-written ones, flat or nested", () => {
    // OpenTelemetry `aws.ecs.task.revision`: "The revision for this task definition" (opentelemetry-semantic-conventions,
    // resource, https://docs.rs/opentelemetry-semantic-conventions/latest/opentelemetry_semantic_conventions/resource/index.html).
    expect(releaseOfJson({ "aws.ecs.task.revision": "8" })).toBe("8");
    expect(releaseOfJson({ aws: { ecs: { task: { revision: 8 } } } })).toBe("8");
    expect(releaseOfJson({ "ecs.task.definition.revision": "9" })).toBe("9");
    expect(releaseOfJson({ ecs: { task: { definition: { revision: 9 } } } })).toBe("9");
    expect(releaseOfJson({ TaskDefinitionRevision: 10 })).toBe("10");
    expect(releaseOfJson({ taskDefinitionRevision: "11" })).toBe("11");
  });

  it("reads the version of a Lambda JSON system record (platform.start), though such a record is no incident", () => {
    // platform.start's record: requestId, version? ("$LATEST"), tracing? (AWS Lambda Developer Guide, "Lambda Telemetry
    // API Event schema reference", https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html).
    const start = `{"time":"2024-01-31T12:00:00.100Z","type":"platform.start","record":{"requestId":"${REQUEST_ID}","version":"3"}}`;
    expect(parseLogLine(start).release).toBe("3");
    // platform.report carries no version: the stream's version stands.
    const report = `{"time":"2024-01-31T12:00:03.100Z","type":"platform.report","record":{"requestId":"${REQUEST_ID}","status":"timeout","metrics":{"durationMs":3000}}}`;
    expect(releaseOfLine(report, VERSION_42_STREAM)).toBe("42");
    // A `record.version` outside a platform record is not read.
    expect(releaseOfJson({ type: "audit", record: { version: "3" } })).toBeUndefined();
  });
});

describe("releaseOfEvent: precedence", () => {
  const all = {
    release: "r-release",
    version: "r-version",
    service: { version: "r-service-nested" },
    "service.version": "r-service-flat",
    ecs_task_definition: "orders:7",
  };

  it("release, then version, then service.version (nested, then flat), then the ECS revision, then the stream", () => {
    const without = (...keys: (keyof typeof all)[]) =>
      Object.fromEntries(Object.entries(all).filter(([key]) => !keys.includes(key as keyof typeof all)));
    const at = (json: Record<string, unknown>) => releaseOfEvent({ logStream: VERSION_42_STREAM, json });
    expect(at(all)).toBe("r-release");
    expect(at(without("release"))).toBe("r-version");
    expect(at(without("release", "version"))).toBe("r-service-nested");
    expect(at(without("release", "version", "service"))).toBe("r-service-flat");
    expect(at(without("release", "version", "service", "service.version"))).toBe("7");
    expect(at({})).toBe("42");
    expect(releaseOfEvent({ logStream: VERSION_42_STREAM })).toBe("42");
  });

  it("passes over a source whose value is no release to the next one", () => {
    const at = (json: Record<string, unknown>) => releaseOfEvent({ logStream: LATEST_STREAM, json });
    expect(at({ release: "", version: "1.0.0" })).toBe("1.0.0");
    expect(at({ release: "   ", version: { major: 1 }, service: "payments", "service.version": ["1"] })).toBe("$LATEST");
    expect(at({ release: true, version: null, service: { version: false } })).toBe("$LATEST");
    expect(at({ release: Number.NaN, version: Number.POSITIVE_INFINITY })).toBe("$LATEST");
  });

  it("prefers the outermost JSON object that names a release: the logger's own fields over its message's", () => {
    const line = JSON.stringify({ level: "error", version: "outer", message: JSON.stringify({ level: "error", release: "inner" }) });
    expect(parseLogLine(line).release).toBe("outer");
    const innerOnly = JSON.stringify({ level: "error", message: JSON.stringify({ level: "error", release: "inner" }) });
    expect(parseLogLine(innerOnly).release).toBe("inner");
  });
});

describe("releaseOfEvent: values", () => {
  it("turns finite numbers into their decimal strings", () => {
    expect(releaseOfJson({ version: 42 })).toBe("42");
    expect(releaseOfJson({ version: 1.5 })).toBe("1.5");
    expect(releaseOfJson({ version: 0 })).toBe("0");
  });

  it("trims, and ignores what is empty once trimmed", () => {
    expect(releaseOfJson({ release: "  v1.4.2\n" })).toBe("v1.4.2");
    expect(releaseOfJson({ release: " \t\n" })).toBeUndefined();
  });

  it(`cuts a value to ${MAX_RELEASE_CHARS} characters, never inside a surrogate pair, and trims what the cut leaves`, () => {
    expect(releaseOfJson({ release: "a".repeat(1000) })).toBe("a".repeat(MAX_RELEASE_CHARS));
    expect(releaseOfJson({ release: `${"a".repeat(MAX_RELEASE_CHARS - 1)}😀tail` })).toBe("a".repeat(MAX_RELEASE_CHARS - 1));
    expect(releaseOfJson({ release: `${"a".repeat(MAX_RELEASE_CHARS - 1)} bbb` })).toBe("a".repeat(MAX_RELEASE_CHARS - 1));
    expect(releaseOfJson({ release: `${" ".repeat(10_000)}1.0.0` })).toBeUndefined();
  });

  it("replaces a lone surrogate (a JSON `\\uD800` escape) with U+FFFD, so that the attribute can be stored", () => {
    expect(parseLogLine(String.raw`{"level":"error","release":"v1\uD800"}`).release).toBe("v1\uFFFD");
  });
});

describe("releaseOfEvent: hostile input", () => {
  const anyChar = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
  const anyString = fc.oneof(fc.string({ unit: anyChar, maxLength: 300 }), fc.string({ unit: "grapheme", maxLength: 300 }));
  const key = fc.constantFrom("release", "version", "service", "service.version", "ecs_task_definition", "Family", "Revision", "aws", "ecs", "type", "record");

  const isRelease = (release: string | undefined): boolean =>
    release === undefined || (release !== "" && release === release.trim() && release.length <= MAX_RELEASE_CHARS);

  it("never throws on any JSON value, under any key that is read, and says undefined or a trimmed non-empty string of at most 128 characters", () => {
    fc.assert(
      fc.property(fc.dictionary(key, fc.jsonValue({ maxDepth: 4 })), anyString, (json, logStream) => {
        const release = releaseOfEvent({ logStream, json });
        expect(isRelease(release)).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("never throws on any string as a log stream, or a Lambda stream with any bracket content", () => {
    fc.assert(
      fc.property(anyString, (text) => {
        expect(isRelease(releaseOfEvent({ logStream: text }))).toBe(true);
        expect(isRelease(releaseOfEvent({ logStream: `2024/01/31/[${text}]0123` }))).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("never throws on any line, and what a parsed line names is a release too", () => {
    const line = fc.oneof(
      anyString,
      fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
      fc.record({ release: fc.jsonValue(), version: fc.jsonValue(), message: fc.jsonValue() }).map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(line, (message) => {
        expect(isRelease(parseLogLine(message).release)).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("ignores, without throwing, objects whose reads throw (the stream still counts) and values that are not what the types promise", () => {
    const hostile = (): never => {
      throw new Error("hostile getter");
    };
    const throwing = new Proxy({}, { get: hostile });
    const getter = Object.defineProperty({}, "release", { get: hostile, enumerable: true });
    expect(releaseOfEvent({ logStream: LATEST_STREAM, json: throwing })).toBe("$LATEST");
    expect(releaseOfEvent({ logStream: LATEST_STREAM, json: getter })).toBe("$LATEST");
    expect(releaseOfJson(throwing)).toBeUndefined();
    expect(releaseOfEvent({ logStream: throwing as unknown as string })).toBeUndefined();
    expect(releaseOfEvent(null as unknown as { logStream: string })).toBeUndefined();
    expect(releaseOfEvent({ logStream: 42 as unknown as string })).toBeUndefined();
    expect(releaseOfEvent({ logStream: LATEST_STREAM, json: [] as unknown as Record<string, unknown> })).toBe("$LATEST");
    expect(releaseOfLogStream(undefined)).toBeUndefined();
  });

  it("reads a 6,000-deep JSON line (bounded by the parser) without overflowing, and still finds its top-level release", () => {
    const deep = `${"[".repeat(6000)}1${"]".repeat(6000)}`;
    expect(parseLogLine(`{"level":"error","release":"1.2.3","data":${deep}}`).release).toBe("1.2.3");
    const deepService = `{"level":"error","service":${'{"version":'.repeat(6000)}"x"${"}".repeat(6000)}}`;
    expect(isRelease(parseLogLine(deepService).release)).toBe(true);
  });
});

describe("releaseOrder", () => {
  const component = fc.nat({ max: MAX_ORDERED_MINOR_PATCH });
  const version = fc.tuple(fc.nat({ max: MAX_ORDERED_MAJOR }), component, component);
  const text = ([major, minor, patch]: [number, number, number]) => `${major}.${minor}.${patch}`;
  const compare = (a: [number, number, number], b: [number, number, number]) =>
    a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

  it("is the number itself for a whole number (a Lambda version, an ECS revision)", () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(releaseOrder(String(n))).toBe(n);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(releaseOrder("42")).toBe(42);
    expect(releaseOrder("9007199254740992")).toBeUndefined();
  });

  it("orders semantic versions as Semantic Versioning does: a < b gives a smaller number", () => {
    fc.assert(
      fc.property(version, version, fc.boolean(), (a, b, prefixed) => {
        fc.pre(compare(a, b) !== 0);
        const [low, high] = compare(a, b) < 0 ? [a, b] : [b, a];
        const v = prefixed ? "v" : "";
        expect(releaseOrder(`${v}${text(low)}`)).toBeLessThan(releaseOrder(text(high)) as number);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(releaseOrder("1.4.2")).toBe(2 * (1e12 + 4e6 + 2) + 1);
    expect(releaseOrder("v1.4.2")).toBe(releaseOrder("1.4.2"));
    expect(releaseOrder("1.10.0")).toBeGreaterThan(releaseOrder("1.9.9") as number);
  });

  it("puts a pre-release just below its release and above every lower version; build metadata changes nothing", () => {
    fc.assert(
      fc.property(version, version, fc.stringMatching(/^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+){0,3}$/), (a, b, pre) => {
        const release = releaseOrder(text(a)) as number;
        const preRelease = releaseOrder(`${text(a)}-${pre}`) as number;
        expect(preRelease).toBe(release - 1);
        if (compare(b, a) < 0) expect(releaseOrder(text(b))).toBeLessThan(preRelease);
        expect(releaseOrder(`${text(a)}+build.${pre}`)).toBe(release);
        expect(releaseOrder(`${text(a)}-${pre}+build.5`)).toBe(preRelease);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(releaseOrder("1.0.0-rc.1")).toBeLessThan(releaseOrder("1.0.0") as number);
    expect(releaseOrder("1.0.0-rc.1")).toBeGreaterThan(releaseOrder("0.999999.999999") as number);
  });

  it("is undefined for $LATEST, git SHAs and anything else that is not a whole number or a semantic version", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{40}$/), (sha) => {
        expect(releaseOrder(sha)).toBeUndefined();
      }),
      { seed: SEED, numRuns: RUNS },
    );
    for (const release of ["$LATEST", "main-3f2a1b", "1.4", "1.4.2.7", "v", "1.4.2-", "1.4.2+", "-1", "1e3", "", "   "]) {
      expect(releaseOrder(release)).toBeUndefined();
    }
  });

  it("is a safe integer whenever it is defined, and undefined past the bounds rather than misordered", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("0", "1", "9", ".", "-", "+", "v", "a"), maxLength: 40 }), (release) => {
        const order = releaseOrder(release);
        if (order !== undefined) expect(Number.isSafeInteger(order)).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    const top = `${MAX_ORDERED_MAJOR}.${MAX_ORDERED_MINOR_PATCH}.${MAX_ORDERED_MINOR_PATCH}`;
    expect(Number.isSafeInteger(releaseOrder(top))).toBe(true);
    expect(releaseOrder(`${MAX_ORDERED_MAJOR + 1}.0.0`)).toBeUndefined();
    expect(releaseOrder(`1.${MAX_ORDERED_MINOR_PATCH + 1}.0`)).toBeUndefined();
    expect(releaseOrder(`1.0.${MAX_ORDERED_MINOR_PATCH + 1}`)).toBeUndefined();
    expect(releaseOrder("2024.5.1")).toBeDefined();
  });
});

describe("the release of an incident", () => {
  function delivery(logStream: string, messages: string[]): LogsDataMessage {
    return {
      messageType: "DATA_MESSAGE",
      owner: "123456789012",
      logGroup: "/aws/lambda/orders-api",
      logStream,
      subscriptionFilters: ["log-monitor-errors"],
      logEvents: messages.map((message, i) => ({ id: String(i).padStart(56, "0"), timestamp: 1706702400000 + i, message })),
    };
  }

  it("takes the line's release before the stream's version, and stores and reads it back as the string attribute release", () => {
    // Prepare
    const payload = delivery(VERSION_42_STREAM, [
      `2024-01-31T12:00:00.123Z\t${REQUEST_ID}\tERROR\tpayment declined\n`,
      `{"level":"error","msg":"payment declined","version":"1.4.2"}`,
    ]);
    // Act
    const incidents = buildIncidents(payload, { ttlDays: 30 });
    // Assess
    expect(incidents.map((incident) => incident.release)).toEqual(["42", "1.4.2"]);
    const item = toIncidentItem(incidents[1]!);
    expect(item.release).toStrictEqual({ S: "1.4.2" });
    expect(fromIncidentItem(item).release).toBe("1.4.2");
  });

  it("has no release, and stores none, where neither the line nor the stream says", () => {
    const [incident] = buildIncidents(delivery(FIRELENS_STREAM, ["ERROR payment declined"]), { ttlDays: 30 });
    expect(incident).not.toHaveProperty("release");
    expect(toIncidentItem(incident!)).not.toHaveProperty("release");
  });

  it("keeps the stream's version for a line whose reading throws", () => {
    const [incident] = buildIncidents(delivery(VERSION_42_STREAM, ['{"level":"error","version":"1.4.2"}']), {
      ttlDays: 30,
      readLine: () => {
        throw new Error("unreadable");
      },
    });
    expect(incident).toMatchObject({ classificationFailed: true, release: "42" });
  });
});
