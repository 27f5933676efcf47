import { parseFilterPattern } from "../../../lib/filter-pattern";

/**
 * JSON patterns.
 *
 * CURRENT: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html,
 *          "Using filter patterns to match terms in JSON log events".
 * OLD:     awsdocs/amazon-cloudwatch-logs-user-guide, doc_source/FilterAndPatternSyntax.md, "Matching Terms in JSON
 *          Log Events" (JSON Metric Filter Examples, JSON Compound Conditions, JSON Special Considerations, Numeric
 *          Comparisons) and "OR Pattern Matching".
 * METRIC:  https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntaxForMetricFilters.html.
 */

type Case = readonly [pattern: string, message: string, expected: boolean];

function expectCases(cases: readonly Case[]): void {
  for (const [pattern, message, expected] of cases) {
    const matched = parseFilterPattern(pattern).matches(message);
    expect({ pattern, message, matched }).toEqual({ pattern, message, matched: expected });
  }
}

/** The CURRENT page's JSON log event, on a single line as the page asks. */
const CURRENT_EVENT = JSON.stringify({
  eventType: "UpdateTrail",
  sourceIPAddress: "111.111.111.111",
  arrayKey: ["value", "another value"],
  objectList: [
    { name: "a", id: 1 },
    { name: "b", id: 2 },
  ],
  SomeObject: null,
  "cluster.name": "c",
});

/** The OLD page's JSON example, which also has ThisFlag. */
const OLD_EVENT = JSON.stringify({
  eventType: "UpdateTrail",
  sourceIPAddress: "111.111.111.111",
  arrayKey: ["value", "another value"],
  objectList: [
    { name: "a", id: 1 },
    { name: "b", id: 2 },
  ],
  SomeObject: null,
  ThisFlag: true,
});

/** The compound-conditions JSON object of both pages. */
const COMPOUND_EVENT = JSON.stringify({
  user: { id: 1, email: "John.Stiles@example.com" },
  users: [
    { id: 2, email: "John.Doe@example.com" },
    { id: 3, email: "Jane.Doe@example.com" },
  ],
  actions: ["GET", "PUT", "DELETE"],
  coordinates: [
    [0, 1, 2],
    [4, 5, 6],
    [7, 8, 9],
  ],
});

describe("JSON patterns: the examples of the current AWS page (CURRENT)", () => {
  it("every example filter matches the page's JSON log event", () => {
    expectCases(
      [
        '{ $.eventType = "UpdateTrail" }',
        "{ $.sourceIPAddress != 123.123.* }",
        '{ $.arrayKey[0] = "value" }',
        "{ $.eventType = %Trail% }",
        "{ $.arrayKey[*] = %val.{2}% }",
        "{ $.* = %111\\.111\\.111\\.1[0-9]{1,2}% }",
        "{ $.['cluster.name'] = \"c\" }",
        "{ $.SomeObject IS NULL }",
        "{ $.SomeOtherObject NOT EXISTS }",
      ].map((pattern) => [pattern, CURRENT_EVENT, true] as const)
    );
  });

  it("the same filters reject an event that differs where they look", () => {
    const other = JSON.stringify({
      eventType: "DeleteBucket",
      sourceIPAddress: "123.123.4.5",
      arrayKey: ["x"],
      SomeObject: "set",
      SomeOtherObject: 1,
      "cluster.name": "d",
    });
    expectCases(
      [
        '{ $.eventType = "UpdateTrail" }',
        "{ $.sourceIPAddress != 123.123.* }",
        '{ $.arrayKey[0] = "value" }',
        "{ $.eventType = %Trail% }",
        "{ $.arrayKey[*] = %val.{2}% }",
        "{ $.* = %111\\.111\\.111\\.1[0-9]{1,2}% }",
        "{ $.['cluster.name'] = \"c\" }",
        "{ $.SomeObject IS NULL }",
        "{ $.SomeOtherObject NOT EXISTS }",
      ].map((pattern) => [pattern, other, false] as const)
    );
  });

  it("compound expressions follow () > && > ||, as in the page's four examples", () => {
    expectCases([
      ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', COMPOUND_EVENT, true],
      [
        '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }',
        COMPOUND_EVENT,
        true,
      ],
      [
        '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }',
        COMPOUND_EVENT,
        false,
      ],
      ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', COMPOUND_EVENT, false],
    ]);
  });

  it("numeric comparisons: the page's operators, signs and scientific notation", () => {
    const event = JSON.stringify({
      bandwidth: 80,
      latency: 40,
      refreshRate: 60,
      responseTime: 5,
      errorCode: 400,
      number: [1000],
    });
    expectCases([
      ["{ $.bandwidth > 75 }", event, true],
      ["{ $.latency < 50 }", event, true],
      ["{ $.refreshRate >= 60 }", event, true],
      ["{ $.responseTime <= 5 }", event, true],
      ["{ $.errorCode = 400}", event, true],
      ["{ $.errorCode != 500 }", event, true],
      ["{ $.number[0] = 1e+3 }", event, true],
      ["{ $.number[0] != 1e-3 }", event, true],
      ["{ $.bandwidth > 80 }", event, false],
      ["{ $.latency < 40 }", event, false],
      ["{ $.refreshRate >= 61 }", event, false],
      ["{ $.responseTime <= 4.99 }", event, false],
      ["{ $.errorCode != 400 }", event, false],
      ["{ $.number[0] = 1e+4 }", event, false],
    ]);
  });
});

describe("JSON patterns: the examples of the older AWS page (OLD)", () => {
  it("JSON Metric Filter Examples all match the example event", () => {
    expectCases(
      [
        '{ $.eventType = "UpdateTrail" }',
        "{ $.sourceIPAddress != 123.123.* }",
        '{ $.arrayKey[0] = "value" }',
        "{ $.objectList[1].id = 2 }",
        "{ $.SomeObject IS NULL }",
        "{ $.SomeOtherObject NOT EXISTS }",
        "{ $.ThisFlag IS TRUE }",
      ].map((pattern) => [pattern, OLD_EVENT, true] as const)
    );
  });

  it("IS FALSE, array and object checks: false where the value is not what they test", () => {
    expectCases([
      ["{ $.ThisFlag IS FALSE }", OLD_EVENT, false],
      ["{ $.ThisFlag IS NULL }", OLD_EVENT, false],
      ["{ $.SomeObject IS TRUE }", OLD_EVENT, false],
      ["{ $.objectList[2].id = 2 }", OLD_EVENT, false],
      // "If arrayKey is not an array this will be false."
      ['{ $.eventType[0] = "UpdateTrail" }', OLD_EVENT, false],
      ["{ $.eventType NOT EXISTS }", OLD_EVENT, false],
    ]);
  });

  it("String wildcards: *Event and Event* match, Ev*ent only matches the literal 'Ev*ent'", () => {
    expectCases([
      ["{ $.name = *Event }", '{"name":"PutEvent"}', true],
      ["{ $.name = *Event }", '{"name":"GetEvent"}', true],
      ["{ $.name = Event* }", '{"name":"EventId"}', true],
      ["{ $.name = Event* }", '{"name":"EventName"}', true],
      ['{ $.name = "Ev*ent" }', '{"name":"Event"}', false],
      ['{ $.name = "Ev*ent" }', '{"name":"Ev*ent"}', true],
      ["{ $.name = *Event }", '{"name":"Events"}', false],
    ]);
  });

  it("JSON Special Considerations: {$.users = 1} and {$.users != 1} both fail when users is an array", () => {
    expectCases([
      ["{$.users = 1}", '{"users": [1, 2, 3]}', false],
      ["{$.users != 1}", '{"users": [1, 2, 3]}', false],
      ["{$.users != 1}", '{"users": {"a": 1}}', false],
    ]);
  });

  it("Numeric Comparisons examples", () => {
    const event = JSON.stringify({
      latency: 1500,
      numbers: [0.001],
      processes: [{}, {}, {}, {}, { averageRuntime: 55.5 }],
      errorCode: 400,
    });
    expectCases([
      ["{ $.latency >= 500 }", event, true],
      ["{ $.numbers[0] < 10e3 }", event, true],
      ["{ $.numbers[0] < 10e-3 }", event, true],
      ["{ $.processes[4].averageRuntime <= 55.5 }", event, true],
      ["{ $.errorCode = 400 }", event, true],
      ["{ $.errorCode != 500 }", event, true],
      ["{ $.latency > +1000 }", event, true],
      ["{ $.numbers[0] < 1e-3 }", event, false],
      ["{ $.latency > +1500 }", event, false],
    ]);
  });

  it("OR Pattern Matching in JSON filters: bar, baz, bar || baz", () => {
    const events = ['{"foo": "bar"}', '{"foo": "baz"}'];
    const matching = (pattern: string) => events.filter((event) => parseFilterPattern(pattern).matches(event));
    expect(matching("{$.foo = bar}")).toEqual(['{"foo": "bar"}']);
    expect(matching("{$.foo = baz }")).toEqual(['{"foo": "baz"}']);
    expect(matching("{$.foo = bar || $.foo = baz }")).toEqual(events);
  });
});

describe("JSON patterns: the metric filter page (METRIC)", () => {
  it('{ $.eventType = "*" && $.sourceIPAddress != 123.123.* } needs both properties', () => {
    const pattern = '{ $.eventType = "*" && $.sourceIPAddress != 123.123.* }';
    expectCases([
      [pattern, CURRENT_EVENT, true],
      [pattern, '{"sourceIPAddress": "10.0.0.1"}', false],
      [pattern, '{"eventType": "X", "sourceIPAddress": "123.123.0.1"}', false],
    ]);
  });

  it("{ $.latency = * } with metric value $.latency publishes 50", () => {
    const pattern = parseFilterPattern("{ $.latency = * }");
    expect(pattern.metricValue('{"latency": 50, "requestType": "GET"}', "$.latency")).toBe(50);
    expect(pattern.metricValue('{"requestType": "GET"}', "$.latency")).toBeUndefined();
  });
});

describe("JSON patterns: decisions and edge cases", () => {
  it("a message that is not a JSON object matches nothing, not even NOT EXISTS", () => {
    expectCases([
      ["{ $.a NOT EXISTS }", "plain text line", false],
      ["{ $.a NOT EXISTS }", "[1, 2, 3]", false],
      ["{ $.a NOT EXISTS }", '{"broken": ', false],
      ["{ $.a NOT EXISTS }", '2024-05-01T12:00:00.000Z\tid\tINFO\t{"a": 1}', false],
      ["{ $.a NOT EXISTS }", '  {"b": 1}  ', true],
    ]);
  });

  it("a comparison on a missing property is false, != included", () => {
    expectCases([
      ['{ $.level != "DEBUG" }', '{"message": "no level"}', false],
      ['{ $.level != "DEBUG" }', '{"level": "INFO"}', true],
      ["{ $.a.b.c = 1 }", '{"a": "not an object"}', false],
      ["{ $.a.b.c NOT EXISTS }", '{"a": "not an object"}', true],
    ]);
  });

  it("null and booleans are not value nodes: = and != fail, IS tests them", () => {
    expectCases([
      ['{ $.a != "x" }', '{"a": null}', false],
      ["{ $.a = * }", '{"a": null}', false],
      ["{ $.a = true }", '{"a": true}', false],
      ["{ $.a IS TRUE }", '{"a": true}', true],
      ["{ $.a IS TRUE }", '{"a": "true"}', false],
      ["{ $.a IS FALSE }", '{"a": false}', true],
    ]);
  });

  it("a number literal compares with JSON numbers and with strings that are plain decimals", () => {
    expectCases([
      ["{ $.code = 404 }", '{"code": "404"}', true],
      ["{ $.code > 400 }", '{"code": "404"}', true],
      ["{ $.code = 404 }", '{"code": 404.0}', true],
      // "Strings don't support scientific notation": "1e3" is not the number 1000.
      ["{ $.code > 1 }", '{"code": "1e3"}', false],
      ["{ $.code != 500 }", '{"code": "n/a"}', true],
      ["{ $.code < 500 }", '{"code": "n/a"}', false],
    ]);
  });

  it("text and wildcard values compare with numbers written in decimal", () => {
    expectCases([
      ["{ $.status = 4* }", '{"status": 404}', true],
      ["{ $.status = 4* }", '{"status": 504}', false],
      ['{ $.status = "404" }', '{"status": 404}', true],
      ["{ $.status = %^4\\d\\d$% }", '{"status": 418}', true],
    ]);
  });

  it("a wildcard selector holds when any selected value satisfies the comparison, != included", () => {
    expectCases([
      ['{ $.arrayKey[*] = "another value" }', CURRENT_EVENT, true],
      ['{ $.arrayKey[*] = "third" }', CURRENT_EVENT, false],
      ['{ $.arrayKey[*] != "value" }', CURRENT_EVENT, true],
      ['{ $.arrayKey[*] != "value" }', '{"arrayKey": ["value"]}', false],
      ["{ $.objectList[*].id = 2 }", CURRENT_EVENT, true],
      ['{ $.user.* = "John.Stiles@example.com" }', COMPOUND_EVENT, true],
      ["{ $.missing[*] NOT EXISTS }", CURRENT_EVENT, true],
      ["{ $.arrayKey[*] NOT EXISTS }", CURRENT_EVENT, false],
    ]);
  });

  it("keys are matched as own properties only, never through the prototype", () => {
    expectCases([
      ["{ $.constructor NOT EXISTS }", "{}", true],
      ['{ $.toString = "*" }', "{}", false],
      ['{ $.__proto__ = "x" }', '{"__proto__": "x"}', true],
    ]);
  });

  it("keywords are case-insensitive and selectors accept hyphens, underscores and bracket keys with double quotes", () => {
    expectCases([
      ["{ $.a is null }", '{"a": null}', true],
      ["{ $.a not exists }", "{}", true],
      ['{ $.request-id = "r-1" && $.cold_start IS TRUE }', '{"request-id": "r-1", "cold_start": true}', true],
      ['{ $.["@timestamp"] = "2024*" }', '{"@timestamp": "2024-05-01"}', true],
    ]);
  });

  it("Lambda's JSON log format and Powertools lines", () => {
    const line =
      '{"timestamp":"2024-05-01T12:00:00.456Z","level":"ERROR","requestId":"8f5c2a1e","message":"Write failed",' +
      '"durationMs":2150,"error":{"name":"ProvisionedThroughputExceededException"}}';
    expectCases([
      ['{ $.level = "ERROR" && $.durationMs > 1000 }', line, true],
      ['{ $.level = "ERROR" && $.durationMs > 5000 }', line, false],
      ["{ $.error.name = *Exception }", line, true],
      ['{ ($.level = "WARN" || $.level = "ERROR") && $.error.name = Provisioned* }', line, true],
    ]);
  });

  it("extract reports each selector of the pattern with the first value it selects", () => {
    const pattern = parseFilterPattern(
      '{ $.latency > 10 && ($.user.id = 1 || $.arrayKey[*] = "x") && $.meta NOT EXISTS }'
    );
    expect(pattern.extract('{"latency": 50, "user": {"id": 1}, "arrayKey": ["a", "x"]}')).toEqual({
      matched: true,
      fields: { "$.latency": 50, "$.user.id": 1, "$.arrayKey[*]": "a" },
    });
    expect(pattern.extract('{"latency": 5}')).toEqual({ matched: false, fields: {} });
  });
});
