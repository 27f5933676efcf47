/** The most ERROR lines one invocation writes; keeps a typo (`1000000`) from flooding the log group. */
export const MAX_ERROR_COUNT = 1000;

/** What the test emitter was asked to do. */
export interface EmitRequest {
  /** Exact number of ERROR lines to write; absent means "decide at random". */
  readonly errorCount?: number;
}

/** The emitter's event is not one it accepts. Names the field and the value received. */
export class InvalidEmitRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidEmitRequestError";
  }
}

/**
 * Reads the emitter's event: `{"error_count": N}` with N an integer from 0 to {@link MAX_ERROR_COUNT}, or
 * `{}`/`null`/no `error_count` for the random mode.
 *
 * Strings are rejected even when numeric (`"3"`): the event is JSON, and a quoted number is a mistake worth
 * pointing out rather than guessing at.
 *
 * @throws InvalidEmitRequestError when the event is not an object, or `error_count` is not an integer in range.
 */
export function parseEmitRequest(event: unknown): EmitRequest {
  if (event === null || event === undefined) return {};
  if (typeof event !== "object" || Array.isArray(event)) {
    throw new InvalidEmitRequestError(
      `the test emitter's event must be a JSON object such as {"error_count": 3}, got ${describe(event)}`,
    );
  }
  const value: unknown = (event as Record<string, unknown>).error_count;
  if (value === undefined) return {};
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new InvalidEmitRequestError(`error_count must be an integer from 0 to ${MAX_ERROR_COUNT}, got ${describe(value)}`);
  }
  if (value > MAX_ERROR_COUNT) {
    throw new InvalidEmitRequestError(
      `error_count must be at most ${MAX_ERROR_COUNT} (the emitter's cap per invocation), got ${describe(value)}`,
    );
  }
  return { errorCount: value };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return `${JSON.stringify(value)} (an array)`;
  switch (typeof value) {
    case "string":
      return `${JSON.stringify(value)} (a string)`;
    case "boolean":
      return `${value} (a boolean)`;
    case "number":
      return String(value);
    case "object":
      return `${JSON.stringify(value)} (an object)`;
    default:
      return `a ${typeof value}`;
  }
}
