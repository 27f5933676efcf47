import { Cursor } from "./cursor";
import { readRegex } from "./regex";
import type { ExtractedValue, PatternEngine } from "./types";

/**
 * A standalone regex pattern, `%AUTHORIZED%`: it matches when the regex is found anywhere in the message
 * (FilterAndPatternSyntax.html, "Using filter patterns to match terms with a regular expression (regex)": `%AUTHORIZED%`
 * returns `[ERROR 401] UNAUTHORIZED REQUEST`). A regex is a whole pattern by itself: it cannot be combined with
 * terms ("Regular expressions (regex) can be used to create standalone filter patterns, or can be incorporated with
 * JSON and space-delimited filter patterns").
 */
export function compileRegexPattern(cursor: Cursor): PatternEngine {
  const regex = readRegex(cursor);
  cursor.skipSpaces();
  if (!cursor.atEnd) {
    throw cursor.error("unexpected text after the regular expression; a %regex% must be the whole filter pattern");
  }
  return new RegexEngine(regex);
}

class RegexEngine implements PatternEngine {
  public readonly kind = "regex";

  constructor(private readonly regex: RegExp) {}

  matches(message: string): boolean {
    return this.regex.test(message);
  }

  extract(message: string): Record<string, ExtractedValue> | undefined {
    return this.regex.test(message) ? {} : undefined;
  }

  resolve(): undefined {
    return undefined;
  }
}
