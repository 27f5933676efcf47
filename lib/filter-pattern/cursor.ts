import { FilterPatternError } from "./errors";

/** Whitespace between the parts of a pattern. Patterns are often written over several lines in IaC code. */
export function isPatternSpace(char: string | undefined): boolean {
  return char === " " || char === "\t" || char === "\n" || char === "\r";
}

/**
 * A read position in a filter pattern. Every parser works on the whole pattern string rather than on slices, so
 * that the positions it reports in errors are positions in what the user wrote.
 */
export class Cursor {
  /** The index of the next character to read. */
  public pos: number;
  /** Where each `%regex%` of the pattern starts, for the quota of regexes per pattern. */
  public readonly regexPositions: number[] = [];
  /** Where each wildcard selector (`[*]`, `.*`) of a JSON pattern starts, for its quota. */
  public readonly wildcardPositions: number[] = [];

  constructor(
    /** The whole pattern, as the user wrote it. */
    public readonly text: string,
    start = 0,
    /** The index just past the last character this cursor may read. */
    public readonly end = text.length
  ) {
    this.pos = start;
  }

  /** True when everything up to `end` has been read. */
  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** The character `offset` positions ahead, or undefined past the end. */
  peek(offset = 0): string | undefined {
    const index = this.pos + offset;
    return index < this.end ? this.text[index] : undefined;
  }

  /** True when the text at the read position starts with `expected`. */
  lookingAt(expected: string): boolean {
    return this.text.startsWith(expected, this.pos) && this.pos + expected.length <= this.end;
  }

  /** Skips whitespace. */
  skipSpaces(): void {
    while (this.pos < this.end && isPatternSpace(this.text[this.pos])) this.pos++;
  }

  /** Consumes `expected` or throws, naming what was found instead. */
  expect(expected: string, what: string): void {
    if (!this.lookingAt(expected)) throw this.error(`expected ${what} but found ${this.describeNext()}`);
    this.pos += expected.length;
  }

  /** Names the next character for error messages: `'x'` or "the end of the pattern". */
  describeNext(): string {
    const next = this.peek();
    return next === undefined ? "the end of the pattern" : `'${next}'`;
  }

  /** Builds (does not throw) the error for this pattern at `position` (by default the read position). */
  error(reason: string, position = this.pos): FilterPatternError {
    return new FilterPatternError(reason, this.text, position);
  }
}
