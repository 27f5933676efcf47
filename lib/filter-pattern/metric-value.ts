import { plainDecimal } from "./comparison";
import { Cursor } from "./cursor";
import { FilterPatternError, MetricValueSpecError } from "./errors";
import { readSelector } from "./json-selector";
import type { ExtractedValue, FieldReference } from "./types";

/**
 * The metric value of a metric filter: a number published for every match (`"1"`), or a value taken from the
 * matching event, `$.latency` for JSON events and `$bytes` or `$7` for space-delimited ones (FilterAndPatternSyntax-
 * ForMetricFilters.html, "Configuring metric values for a metric filter": "You can set metric values to numbers,
 * named identifiers, or numeric identifiers").
 */
export type MetricValueSource =
  | { readonly kind: "constant"; readonly value: number }
  | { readonly kind: "field"; readonly reference: FieldReference };

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const FIELD = /^\$([A-Za-z0-9_-]+)$/;
const CACHE_LIMIT = 64;
const cache = new Map<string, MetricValueSource>();

/** Parses a metric value, or throws MetricValueSpecError. Parsed values are cached: metric filters reuse a handful. */
export function parseMetricValue(spec: string): MetricValueSource {
  const cached = cache.get(spec);
  if (cached !== undefined) return cached;
  const parsed = parseUncached(spec);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(spec, parsed);
  return parsed;
}

function parseUncached(spec: string): MetricValueSource {
  const text = spec.trim();
  if (NUMBER.test(text)) return { kind: "constant", value: Number(text) };
  if (text.startsWith("$.")) {
    const cursor = new Cursor(text);
    try {
      const selector = readSelector(cursor);
      if (!cursor.atEnd) throw cursor.error("unexpected text after the selector");
      return { kind: "field", reference: { kind: "json", selector } };
    } catch (error) {
      if (error instanceof FilterPatternError) throw new MetricValueSpecError(spec, error.reason);
      throw error;
    }
  }
  const field = FIELD.exec(text);
  if (field === null) throw new MetricValueSpecError(spec, "not a number or a field reference");
  const name = field[1];
  if (!/^\d+$/.test(name)) return { kind: "field", reference: { kind: "named", name } };
  const position = Number(name);
  if (position < 1) throw new MetricValueSpecError(spec, "field positions start at $1");
  return { kind: "field", reference: { kind: "position", position } };
}

/** The number a referenced value publishes: JSON numbers, and strings that are plain decimal numbers. */
export function toMetricNumber(value: ExtractedValue | undefined): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string") return plainDecimal(value.trim());
  return undefined;
}
