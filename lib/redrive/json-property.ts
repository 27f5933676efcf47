/**
 * One property of a JSON document that another service wrote (an on-failure record, a function's response), read
 * without trusting its shape.
 */

/**
 * The property `name` of the object `text` holds as JSON; undefined when the text is not JSON, holds no object, or
 * the object has no such property. The value is as parsed: the caller checks its shape.
 */
export function jsonProperty(text: string, name: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>)[name] : undefined;
}
