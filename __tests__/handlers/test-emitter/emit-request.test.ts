import { InvalidEmitRequestError, MAX_ERROR_COUNT, parseEmitRequest } from "../../../handlers/test-emitter/emit-request";

describe("parseEmitRequest", () => {
  it.each([0, 1, 3, MAX_ERROR_COUNT])("accepts error_count %p", (count) => {
    // Act
    const request = parseEmitRequest({ error_count: count });
    // Assess
    expect(request).toStrictEqual({ errorCount: count });
  });

  it.each([
    ["an empty object", {}],
    ["null", null],
    ["undefined", undefined],
    ["an object with other keys", { note: "manual test" }],
    ["an object whose error_count is undefined", { error_count: undefined }],
  ])("asks for the random mode when the event is %s", (_name, event) => {
    // Act
    const request = parseEmitRequest(event);
    // Assess
    expect(request).toStrictEqual({});
  });

  it.each([
    ["a negative number", -1, "error_count must be an integer from 0 to 1000, got -1"],
    ["a fraction", 2.5, "error_count must be an integer from 0 to 1000, got 2.5"],
    ["a numeric string", "3", 'error_count must be an integer from 0 to 1000, got "3" (a string)'],
    ["a boolean", true, "error_count must be an integer from 0 to 1000, got true (a boolean)"],
    ["NaN", Number.NaN, "error_count must be an integer from 0 to 1000, got NaN"],
    ["Infinity", Number.POSITIVE_INFINITY, "error_count must be an integer from 0 to 1000, got Infinity"],
    ["null", null, "error_count must be an integer from 0 to 1000, got null"],
    ["an array", [3], "error_count must be an integer from 0 to 1000, got [3] (an array)"],
    ["an object", { n: 3 }, 'error_count must be an integer from 0 to 1000, got {"n":3} (an object)'],
    ["more than the cap", 1001, "error_count must be at most 1000 (the emitter's cap per invocation), got 1001"],
  ])("rejects %s, naming the field and the value", (_name, value, message) => {
    // Act / Assess
    expect(() => parseEmitRequest({ error_count: value })).toThrow(new InvalidEmitRequestError(message));
  });

  it.each([
    ["a string", "3", 'the test emitter\'s event must be a JSON object such as {"error_count": 3}, got "3" (a string)'],
    ["a number", 3, 'the test emitter\'s event must be a JSON object such as {"error_count": 3}, got 3'],
    ["an array", [], 'the test emitter\'s event must be a JSON object such as {"error_count": 3}, got [] (an array)'],
  ])("rejects an event that is %s", (_name, event, message) => {
    // Act / Assess
    expect(() => parseEmitRequest(event)).toThrow(new InvalidEmitRequestError(message));
  });

  it("throws an InvalidEmitRequestError", () => {
    // Act
    let caught: unknown;
    try {
      parseEmitRequest({ error_count: -1 });
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(InvalidEmitRequestError);
    expect((caught as Error).name).toBe("InvalidEmitRequestError");
  });
});
