import type { JsonSelector } from "./json-selector";

/**
 * The shapes the engine exposes, and the contract between the compiled pattern and the engine of each pattern kind.
 */

/**
 * Which of the documented forms a pattern takes:
 * - `all`: the empty pattern (or only whitespace, or `""`), which matches every event;
 * - `terms`: terms and quoted phrases, with `-` exclusions or `?` alternatives;
 * - `json`: `{ $.selector op value && ... }`;
 * - `space-delimited`: `[field, field = value, ..., field]`;
 * - `regex`: a standalone `%regex%`.
 */
export type FilterPatternKind = "all" | "terms" | "json" | "space-delimited" | "regex";

/** A value extracted from a log event: space-delimited fields are strings; JSON values keep their JSON type. */
export type ExtractedValue = string | number | boolean | null;

/** What `extract` returns: whether the event matched, and the values the pattern extracted from it. */
export interface FilterPatternExtraction {
  /** True when the event matches the pattern. */
  readonly matched: boolean;
  /**
   * The extracted values, as CloudWatch's TestMetricFilter reports them in `extractedValues`; empty when the event
   * did not match and for term, regex and match-all patterns.
   * - space-delimited: `$name` for each named field and `$N` (1-based position) for unnamed fields and the fields an
   *   ellipsis covers, all strings;
   * - JSON: each selector of the pattern, as written (`$.latency`), with the first value it selects, when that value
   *   is a string, number, boolean or null.
   */
  readonly fields: Readonly<Record<string, ExtractedValue>>;
}

/** A parsed filter pattern, ready to be applied to many log events. */
export interface CompiledFilterPattern {
  /** The pattern as given. */
  readonly source: string;
  /** Which documented form the pattern takes. */
  readonly kind: FilterPatternKind;
  /** True when the log event message matches the pattern. */
  matches(message: string): boolean;
  /** Matches the event and returns the values the pattern extracts from it. */
  extract(message: string): FilterPatternExtraction;
  /**
   * The value a metric filter with this pattern and metric value `valueSpec` would publish for the event, or
   * undefined when the event does not match or the referenced field is missing or not a number.
   *
   * `valueSpec` is a number (`"1"`, `"2.5"`), a JSON selector (`"$.latency"`, JSON patterns) or a space-delimited
   * field by name or 1-based position (`"$size"`, `"$7"`). Throws MetricValueSpecError for anything else.
   */
  metricValue(message: string, valueSpec: string): number | undefined;
}

/** A reference to one value of a log event, as a metric value names it. */
export type FieldReference =
  | { readonly kind: "json"; readonly selector: JsonSelector }
  | { readonly kind: "named"; readonly name: string }
  | { readonly kind: "position"; readonly position: number };

/** What each pattern kind implements; the compiled pattern adds caching and metric values on top. */
export interface PatternEngine {
  readonly kind: FilterPatternKind;
  matches(message: string): boolean;
  /** The extracted fields when the event matches, otherwise undefined. */
  extract(message: string): Record<string, ExtractedValue> | undefined;
  /** The referenced value when the event matches and has it, otherwise undefined. */
  resolve(message: string, reference: FieldReference): ExtractedValue | undefined;
}
