import { parseFilterPattern } from "../../../lib/filter-pattern";

/**
 * Space-delimited patterns.
 *
 * CURRENT: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html,
 *          "Using filter patterns to match terms in space-delimited log events".
 * OLD:     awsdocs/amazon-cloudwatch-logs-user-guide, doc_source/FilterAndPatternSyntax.md, "Using Metric Filters to
 *          Extract Values from Space-Delimited Log Events" and "OR Pattern Matching".
 * METRIC:  https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntaxForMetricFilters.html,
 *          "Publishing dimensions with metrics from values in JSON or space-delimited log events".
 */

type Case = readonly [pattern: string, message: string, expected: boolean];

function expectCases(cases: readonly Case[]): void {
  for (const [pattern, message, expected] of cases) {
    const matched = parseFilterPattern(pattern).matches(message);
    expect({ pattern, message, matched }).toEqual({ pattern, message, matched: expected });
  }
}

function matching(pattern: string, events: readonly string[]): string[] {
  const compiled = parseFilterPattern(pattern);
  return events.filter((event) => compiled.matches(event));
}

/** The CURRENT page's space-delimited event (seven fields). */
const CURRENT_EVENT = '127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';

/** The CURRENT page's events for matching terms in order. */
const ORDER_EVENTS = [
  "INFO 09/25/2014 12:00:00 GET /service/resource/67 1200",
  "INFO 09/25/2014 12:00:01 POST /service/resource/67/part/111 1310",
  "WARNING 09/25/2014 12:00:02 Invalid user request",
  "ERROR 09/25/2014 12:00:02 Failed to process request",
];

/** The OLD page's Apache access log lines. */
const APACHE_EVENTS = [
  '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
  '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
  '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355',
];

describe("space-delimited patterns: the examples of the current AWS page (CURRENT)", () => {
  it("the seven-field pattern with a regex, wildcards and named fields matches the page's event", () => {
    expectCases([
      [
        "[ip=%127\\.0\\.0\\.[1-9]%, user, username, timestamp, request =*.html*, status_code = 4*, bytes]",
        CURRENT_EVENT,
        true,
      ],
      [
        "[ip=%127\\.0\\.0\\.[1-9]%, user, username, timestamp, request =*.html*, status_code = 4*, bytes]",
        CURRENT_EVENT.replace("127.0.0.1", "127.0.0.0"),
        false,
      ],
      ["[..., request =*.html*, status_code = 4*, bytes]", CURRENT_EVENT, true],
      ["[..., request =*.html*, status_code = 4*, bytes]", CURRENT_EVENT.replace(" 404 ", " 500 "), false],
    ]);
  });

  it("status_code = 404 || status_code = 410 accepts either status", () => {
    const pattern = "[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]";
    expectCases([
      [pattern, CURRENT_EVENT, true],
      [pattern, CURRENT_EVENT.replace(" 404 ", " 410 "), true],
      [pattern, CURRENT_EVENT.replace(" 404 ", " 400 "), false],
    ]);
  });

  it("match terms in order: [w1=ERROR, w2], OR, exclusion and the resource URI regexes", () => {
    expect(matching("[w1=ERROR, w2]", ORDER_EVENTS)).toEqual([ORDER_EVENTS[3]]);
    expect(matching("[w1=ERROR || w1=WARNING, w2]", ORDER_EVENTS)).toEqual([ORDER_EVENTS[2], ORDER_EVENTS[3]]);
    expect(matching("[w1!=ERROR && w1!=WARNING, w2]", ORDER_EVENTS)).toEqual([ORDER_EVENTS[0], ORDER_EVENTS[1]]);
    expect(
      matching("[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]", ORDER_EVENTS)
    ).toEqual([ORDER_EVENTS[0]]);
    expect(
      matching(
        "[logLevel, date, time, method, url=%/service/resource/[0-9]+/part/[0-9]+$%, response_time]",
        ORDER_EVENTS
      )
    ).toEqual([ORDER_EVENTS[1]]);
  });
});

describe("space-delimited patterns: the examples of the older AWS page (OLD)", () => {
  it("the field lists with and without an ellipsis match all three Apache lines", () => {
    for (const pattern of [
      "[ip, user, username, timestamp, request, status_code, bytes]",
      "[..., status_code, bytes]",
      "[ip, user, ..., status_code, bytes]",
      "[ip, user, ...]",
      "[ip, user, username, timestamp, request, status_code, bytes > 1000]",
    ]) {
      expect({ pattern, matched: matching(pattern, APACHE_EVENTS) }).toEqual({ pattern, matched: APACHE_EVENTS });
    }
  });

  it("conditions on status_code, bytes and request select the right lines", () => {
    expect(matching("[ip, user, username, timestamp, request, status_code = 200, bytes]", APACHE_EVENTS)).toEqual([
      APACHE_EVENTS[0],
      APACHE_EVENTS[2],
    ]);
    expect(matching("[ip, user, username, timestamp, request, status_code, bytes > 5000]", APACHE_EVENTS)).toEqual([
      APACHE_EVENTS[1],
    ]);
    expect(matching("[ip, user, username, timestamp, request, status_code = 4*, bytes]", APACHE_EVENTS)).toEqual([]);
    expect(
      matching("[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]", [CURRENT_EVENT])
    ).toEqual([CURRENT_EVENT]);
    expect(matching("[ip, user, username, timestamp, request = *html*, status_code, bytes]", APACHE_EVENTS)).toEqual(
      []
    );
  });

  it("&& and || inside one field: status_code = 4* && status_code != 403, status_code = 403 || status_code = 404", () => {
    const forbidden = CURRENT_EVENT.replace(" 404 ", " 403 ");
    const notFound = CURRENT_EVENT;
    const teapot = CURRENT_EVENT.replace(" 404 ", " 418 ");
    const andPattern = "[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]";
    const orPattern = "[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]";
    expect(matching(andPattern, [forbidden, notFound, teapot])).toEqual([notFound, teapot]);
    expect(matching(orPattern, [forbidden, notFound, teapot])).toEqual([forbidden, notFound]);
  });

  it("the extraction example: [..., request=*.html*, status_code=4*,] yields the page's extracted fields", () => {
    // The page's event, without the escaping backslashes its markdown shows.
    const event = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';
    expect(parseFilterPattern("[..., request=*.html*, status_code=4*,]").extract(event)).toEqual({
      matched: true,
      fields: {
        $status_code: "404",
        $request: "GET /index.html HTTP/1.0",
        $7: "1534",
        $4: "10/Oct/2000:13:25:15 -0700",
        $3: "frank",
        $2: "-",
        $1: "127.0.0.1",
      },
    });
  });

  it("OR Pattern Matching: [w1=ERROR, w2] matches 'ERROR message' but not 'WARN message'", () => {
    expect(matching("[w1=ERROR, w2]", ["ERROR WARN message", "ERROR message", "WARN message"])).toEqual([
      "ERROR WARN message",
      "ERROR message",
    ]);
  });

  it("decision: [w1=ERROR || w1=WARN, w2] also matches 'ERROR WARN message' (the old page says it does not)", () => {
    // The current page's [w1=ERROR, w2] matches six-word lines, so w2 takes the rest of the line; the old page's
    // exclusion of this line contradicts that, and sits beside an example that is wrong under any reading.
    expect(
      matching("[w1=ERROR || w1=WARN, w2]", ["ERROR WARN message", "ERROR message", "WARN message", "INFO x"])
    ).toEqual(["ERROR WARN message", "ERROR message", "WARN message"]);
  });
});

describe("space-delimited patterns: the metric filter page (METRIC)", () => {
  it("[ip, server, username, timestamp, request, status_code, bytes > 1000] extracts the page's fields", () => {
    const pattern = parseFilterPattern("[ip, server, username, timestamp, request, status_code, bytes > 1000]");
    expect(pattern.extract(CURRENT_EVENT)).toEqual({
      matched: true,
      fields: {
        $bytes: "1534",
        $status_code: "404",
        $request: "GET /index.html HTTP/1.0",
        $timestamp: "10/Oct/2000:13:25:15 -0700",
        $username: "frank",
        $server: "Prod",
        $ip: "127.0.0.1",
      },
    });
  });

  it("[w1=ERROR || w1=%WARN%, w2] matches ERROR or any superstring of WARN as the first word", () => {
    expect(matching("[w1=ERROR || w1=%WARN%, w2]", ORDER_EVENTS)).toEqual([ORDER_EVENTS[2], ORDER_EVENTS[3]]);
  });
});

describe("space-delimited patterns: Lambda log lines and tab delimiting (decision)", () => {
  const NODE_LINE = "2024-05-01T12:00:00.456Z\t8f5c2a1e-3b7d-4c9a-a1f2-0e6d4b9c7a35\tERROR\tWrite failed: table busy";
  const PYTHON_LINE = "[ERROR]\t2024-05-01T12:00:00.456Z\t8f5c2a1e-3b7d-4c9a-a1f2-0e6d4b9c7a35\tboom went the handler";

  it('tabs delimit fields: the console\'s Lambda pattern [timestamp=*Z, request_id="*-*", event] matches', () => {
    const pattern = parseFilterPattern('[timestamp=*Z, request_id="*-*", event]');
    expect(pattern.extract(NODE_LINE)).toEqual({
      matched: true,
      fields: {
        $timestamp: "2024-05-01T12:00:00.456Z",
        $request_id: "8f5c2a1e-3b7d-4c9a-a1f2-0e6d4b9c7a35",
        $event: "ERROR\tWrite failed: table busy",
      },
    });
    expect(pattern.matches("START RequestId: 8f5c2a1e Version: $LATEST")).toBe(false);
  });

  it("the level field of the Node.js and Python formats can be tested", () => {
    expectCases([
      ["[timestamp, request_id, level=ERROR, message]", NODE_LINE, true],
      ["[timestamp, request_id, level=ERROR, message]", NODE_LINE.replace("\tERROR\t", "\tINFO\t"), false],
      ["[level=ERROR, timestamp=*Z, request_id, message]", PYTHON_LINE, true],
      ["[level=WARNING, timestamp=*Z, request_id, message]", PYTHON_LINE, false],
    ]);
  });

  it("a run of spaces and tabs is one delimiter; a newline is not a delimiter", () => {
    const pattern = parseFilterPattern("[a, b, c]");
    expect(pattern.extract("  one \t  two\t\tthree  ").fields).toEqual({ $a: "one", $b: "two", $c: "three" });
    expect(pattern.extract("one two\nthree").matched).toBe(false);
    expect(parseFilterPattern("[a, b]").extract("one two\nthree").fields).toEqual({ $a: "one", $b: "two\nthree" });
  });
});

describe("space-delimited patterns: decisions and edge cases", () => {
  it("without an ellipsis the last field takes the rest of the line, verbatim", () => {
    const pattern = parseFilterPattern("[level, message]");
    expect(pattern.extract('WARN disk  "90%" [full]').fields).toEqual({
      $level: "WARN",
      $message: 'disk  "90%" [full]',
    });
    expect(pattern.matches("WARN")).toBe(false);
    expect(pattern.extract('WARN "disk full"').fields).toEqual({ $level: "WARN", $message: "disk full" });
  });

  it("an ellipsis stands for zero or more fields; fields after it align with the end", () => {
    expectCases([
      ["[first, ..., last]", "a b", true],
      ["[first, ..., last]", "a", false],
      ["[..., last=z]", "z", true],
      ["[..., last=z]", "a b z", true],
      ["[..., last=z]", "a z b", false],
    ]);
    expect(parseFilterPattern("[first, ..., last]").extract("a b c d").fields).toEqual({
      $first: "a",
      $2: "b",
      $3: "c",
      $last: "d",
    });
  });

  it("an unnamed field is extracted by position", () => {
    expect(parseFilterPattern("[, status=404, ]").extract("GET 404 12").fields).toEqual({
      $1: "GET",
      $status: "404",
      $3: "12",
    });
  });

  it('grouping: quotes and brackets make one field; \\" does not close a quoted field; unclosed ones are literal', () => {
    const pattern = parseFilterPattern("[a, b, c]");
    expect(pattern.extract('x "say \\"hi\\" now" z').fields).toEqual({ $a: "x", $b: 'say \\"hi\\" now', $c: "z" });
    expect(pattern.extract('x "unclosed y z').fields).toEqual({ $a: "x", $b: '"unclosed', $c: "y z" });
    expect(pattern.extract("x [unclosed y").fields).toEqual({ $a: "x", $b: "[unclosed", $c: "y" });
    expect(pattern.extract('"ab"cd e').fields).toEqual({ $a: "ab", $b: "cd", $c: "e" });
  });

  it("numeric conditions read plain decimals; a non-number fails <, >, = and satisfies !=", () => {
    expectCases([
      ["[a, bytes > 1000]", "x 1534", true],
      ["[a, bytes > 1000]", "x 1534.5", true],
      ["[a, bytes > 1000]", "x 999", false],
      ["[a, bytes > 1000]", "x lots", false],
      ["[a, bytes > 1000]", "x 1e4", false],
      ["[a, bytes = 1534]", "x 1534.0", true],
      ["[a, bytes != 1534]", "x lots", true],
      ["[a, bytes != 1534]", "x 1534", false],
      ["[a, bytes <= -1]", "x -1", true],
    ]);
  });

  it("string conditions: exact, quoted, wildcard at the ends only, regex, and != as negation", () => {
    expectCases([
      ["[a=GET, b]", "GET /", true],
      ["[a=GET, b]", "GETS /", false],
      ['[a="GET /x", b]', '"GET /x" 200', true],
      ["[a=*.html*, b]", "/index.html?x=1 200", true],
      ['[a="ab*cd", b]', "abXcd 1", false],
      ['[a="ab*cd", b]', "ab*cd 1", true],
      ["[a=%^G.T$%, b]", "GOT 1", true],
      ["[a!=*html*, b]", "/index.html 1", false],
      ["[a!=*html*, b]", "/index.gif 1", true],
    ]);
  });

  it("parentheses group conditions within a field", () => {
    expectCases([
      ["[(s = 4* && s != 404) || s = 200, b]", "418 x", true],
      ["[(s = 4* && s != 404) || s = 200, b]", "404 x", false],
      ["[(s = 4* && s != 404) || s = 200, b]", "200 x", true],
    ]);
  });

  it("metricValue reads a field by name or 1-based position", () => {
    const pattern = parseFilterPattern("[ip, user, username, timestamp, request, status_code, bytes]");
    expect(pattern.metricValue(APACHE_EVENTS[1], "$bytes")).toBe(5324);
    expect(pattern.metricValue(APACHE_EVENTS[1], "$7")).toBe(5324);
    expect(pattern.metricValue(APACHE_EVENTS[1], "$6")).toBe(500);
    expect(pattern.metricValue(APACHE_EVENTS[1], "$username")).toBeUndefined();
    expect(pattern.metricValue(APACHE_EVENTS[1], "$8")).toBeUndefined();
    expect(pattern.metricValue(APACHE_EVENTS[1], "$nope")).toBeUndefined();
    expect(parseFilterPattern("[..., bytes]").metricValue(APACHE_EVENTS[0], "$7")).toBe(1534);
  });
});
