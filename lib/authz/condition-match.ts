/**
 * A small evaluator for the condition operators a policy may put on a KMS encryption-context key
 * (`kms:EncryptionContext:aws:logs:arn`), which `@cloud-copilot/iam-simulate` does not read from a request.
 *
 * It follows IAM's documented semantics ("IAM JSON policy elements: Condition operators",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
 * - `StringEquals` is exact and case-sensitive; `StringLike` adds the wildcards `*` (any run of characters,
 *   including none) and `?` (exactly one);
 * - `ArnEquals` and `ArnLike` compare each of the six colon-delimited components separately (`arn`, partition,
 *   service, region, account, resource, the last keeping its own colons), each with `*` and `?`; an ARN with fewer
 *   components matches nothing;
 * - several values for one key are alternatives (any one may match); the `IfExists` suffix makes an absent key match;
 *   otherwise an absent key does not match.
 * Any other operator is refused rather than guessed.
 */

/** An operator this evaluator does not implement. */
export class UnsupportedConditionError extends Error {
  constructor(operator: string, key: string) {
    super(`condition operator ${operator} on ${key} is not supported by lib/authz/condition-match.ts`);
    this.name = "UnsupportedConditionError";
  }
}

/** Whether `value` matches `pattern` with `*` and `?` wildcards, case-sensitively. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(value);
}

/** Splits an ARN into its six components; undefined when it has fewer. */
function arnComponents(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

/** Whether `value` matches `pattern` as `ArnLike` compares them, component by component. */
export function arnLike(pattern: string, value: string): boolean {
  const expected = arnComponents(pattern);
  const actual = arnComponents(value);
  if (expected === undefined || actual === undefined) return false;
  return expected.every((part, index) => wildcardMatch(part, actual[index] ?? ""));
}

/**
 * Whether the condition `operator: { key: values }` holds for a request whose context gives `key` the value
 * `requestValue` (undefined when the request has no such key).
 */
export function conditionHolds(operator: string, key: string, values: readonly string[], requestValue: string | undefined): boolean {
  const ifExists = operator.endsWith("IfExists");
  const base = ifExists ? operator.slice(0, -"IfExists".length) : operator;
  if (requestValue === undefined) {
    if (["StringEquals", "StringLike", "ArnEquals", "ArnLike"].includes(base)) return ifExists;
    throw new UnsupportedConditionError(operator, key);
  }
  switch (base) {
    case "StringEquals":
      return values.some((value) => value === requestValue);
    case "StringLike":
      return values.some((value) => wildcardMatch(value, requestValue));
    case "ArnEquals":
    case "ArnLike":
      return values.some((value) => arnLike(value, requestValue));
    default:
      throw new UnsupportedConditionError(operator, key);
  }
}
