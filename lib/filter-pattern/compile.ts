import { Cursor } from "./cursor";
import { FilterPatternError } from "./errors";
import { compileJsonPattern } from "./json-pattern";
import { parseMetricValue, toMetricNumber } from "./metric-value";
import { compileRegexPattern } from "./regex-pattern";
import { compileSpaceDelimitedPattern } from "./space-delimited";
import { compileTermPattern, MATCH_ALL } from "./terms";
import type { CompiledFilterPattern, FilterPatternExtraction, FilterPatternKind, PatternEngine } from "./types";

/**
 * Compiling a pattern: the first non-blank character decides its kind (`{` JSON, `[` space-delimited, `%` regex,
 * anything else terms), as in AWS's grammar where each kind is a whole pattern.
 */

/** The longest filter pattern the CloudWatch Logs API accepts (PutMetricFilter: "Maximum length of 1024"). */
export const MAX_PATTERN_LENGTH = 1024;

const NO_FIELDS: Readonly<Record<string, never>> = Object.freeze({});

/** Parses and compiles a pattern; throws FilterPatternError when CloudWatch would reject it. */
export function compileFilterPattern(pattern: string): CompiledFilterPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new FilterPatternError(
      `the pattern is ${pattern.length} characters long; CloudWatch Logs accepts at most ${MAX_PATTERN_LENGTH}`,
      pattern,
      MAX_PATTERN_LENGTH
    );
  }
  const cursor = new Cursor(pattern);
  cursor.skipSpaces();
  return new CompiledPattern(pattern, engineFor(cursor));
}

function engineFor(cursor: Cursor): PatternEngine {
  if (cursor.atEnd) return MATCH_ALL;
  switch (cursor.peek()) {
    case "{":
      return compileJsonPattern(cursor);
    case "[":
      return compileSpaceDelimitedPattern(cursor);
    case "%":
      return compileRegexPattern(cursor);
    default:
      return compileTermPattern(cursor);
  }
}

/** The public face of a compiled pattern: the engine of its kind plus extraction results and metric values. */
class CompiledPattern implements CompiledFilterPattern {
  public readonly kind: FilterPatternKind;

  constructor(public readonly source: string, private readonly engine: PatternEngine) {
    this.kind = engine.kind;
  }

  matches(message: string): boolean {
    return this.engine.matches(message);
  }

  extract(message: string): FilterPatternExtraction {
    const fields = this.engine.extract(message);
    return fields === undefined ? { matched: false, fields: NO_FIELDS } : { matched: true, fields };
  }

  metricValue(message: string, valueSpec: string): number | undefined {
    const source = parseMetricValue(valueSpec);
    if (source.kind === "constant") return this.engine.matches(message) ? source.value : undefined;
    return toMetricNumber(this.engine.resolve(message, source.reference));
  }
}
