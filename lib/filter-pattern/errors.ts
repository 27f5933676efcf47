/**
 * The errors the filter-pattern engine throws. Each carries what a person needs to fix the input: the reason, and
 * for patterns the character position and a caret excerpt.
 */

/** How many characters of the pattern to show on either side of the offending position. */
const EXCERPT_RADIUS = 40;

/**
 * A filter pattern that CloudWatch Logs would reject ("Invalid filter pattern"), or that this model cannot interpret.
 *
 * `message` reads `<reason> at position <n>` followed by a two-line excerpt of the pattern with a caret under the
 * offending character, so that it can be printed as is.
 */
export class FilterPatternError extends Error {
  /** What is wrong, without the position or the excerpt. */
  public readonly reason: string;
  /** The pattern as given. */
  public readonly pattern: string;
  /**
   * The 0-based index (in UTF-16 code units, as JavaScript strings count) of the character the error is about;
   * `pattern.length` when the pattern ended too early.
   */
  public readonly position: number;

  constructor(reason: string, pattern: string, position: number) {
    super(`${reason} at position ${position} (0-based)\n${caretExcerpt(pattern, position)}`);
    this.name = "FilterPatternError";
    this.reason = reason;
    this.pattern = pattern;
    this.position = position;
  }
}

/**
 * A metric value that is neither a number nor a field reference (`$.path` for JSON, `$name` or `$N` for
 * space-delimited events), so no metric filter could publish it.
 */
export class MetricValueSpecError extends Error {
  /** The metric value as given. */
  public readonly valueSpec: string;

  constructor(valueSpec: string, reason: string) {
    super(
      `Invalid metric value ${JSON.stringify(valueSpec)}: ${reason}; expected a number ("1"), a JSON selector ` +
        `("$.latency") or a space-delimited field ("$size" or "$7")`
    );
    this.name = "MetricValueSpecError";
    this.valueSpec = valueSpec;
  }
}

/**
 * Renders the pattern around `position` with a caret below it. Control characters become spaces so that the caret
 * stays aligned in a terminal.
 */
function caretExcerpt(pattern: string, position: number): string {
  const from = Math.max(0, position - EXCERPT_RADIUS);
  const to = Math.min(pattern.length, position + EXCERPT_RADIUS);
  const prefix = from > 0 ? "..." : "";
  const suffix = to < pattern.length ? "..." : "";
  const visible = pattern.slice(from, to).replace(/[\u0000-\u001f\u007f]/g, " ");
  return `  ${prefix}${visible}${suffix}\n  ${" ".repeat(prefix.length + position - from)}^`;
}
