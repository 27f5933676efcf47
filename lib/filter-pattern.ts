/**
 * An offline model of CloudWatch Logs filter patterns, the syntax of metric filters, subscription filters,
 * FilterLogEvents and Live Tail: terms and phrases, JSON patterns, space-delimited patterns and `%regex%`.
 *
 * The reference is AWS's page "Filter pattern syntax for metric filters, subscription filters, filter log events,
 * and Live Tail" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html), its regex
 * section (regex-expressions.html), and the older version of the page (awsdocs/amazon-cloudwatch-logs-user-guide,
 * doc_source/FilterAndPatternSyntax.md) for the examples it no longer carries. Where the pages are silent or
 * disagree, the module that implements the feature says what it decided and why.
 *
 * @example
 * const pattern = parseFilterPattern("[timestamp=*Z, request_id, level=ERROR, message]");
 * pattern.matches("2024-01-01T00:00:00.000Z\tc0ffee-1\tERROR\tboom"); // true
 */
import { compileFilterPattern } from "./filter-pattern/compile";
import type { CompiledFilterPattern } from "./filter-pattern/types";

export { FilterPatternError, MetricValueSpecError } from "./filter-pattern/errors";
export { MAX_PATTERN_LENGTH } from "./filter-pattern/compile";
export type {
  CompiledFilterPattern,
  ExtractedValue,
  FilterPatternExtraction,
  FilterPatternKind,
} from "./filter-pattern/types";

/** How many compiled patterns `matchesFilterPattern` keeps; a process uses a handful, a test suite a few hundred. */
const CACHE_LIMIT = 256;
const compiledPatterns = new Map<string, CompiledFilterPattern>();

/**
 * Parses a filter pattern into a compiled pattern that can be applied to many events.
 *
 * @throws FilterPatternError when CloudWatch Logs would reject the pattern; its `position` is the 0-based index of
 * the offending character in `pattern` and its message ends with a caret excerpt.
 */
export function parseFilterPattern(pattern: string): CompiledFilterPattern {
  return compileFilterPattern(pattern);
}

/**
 * True when the log event message matches the pattern. Compiled patterns are cached (the least recently compiled is
 * dropped first), so calling this in a loop does not reparse.
 *
 * @throws FilterPatternError when the pattern is invalid (see `parseFilterPattern`).
 */
export function matchesFilterPattern(pattern: string, message: string): boolean {
  let compiled = compiledPatterns.get(pattern);
  if (compiled === undefined) {
    compiled = compileFilterPattern(pattern);
    if (compiledPatterns.size >= CACHE_LIMIT) compiledPatterns.delete(compiledPatterns.keys().next().value as string);
    compiledPatterns.set(pattern, compiled);
  }
  return compiled.matches(message);
}
