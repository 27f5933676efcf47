/**
 * A reader for the HCL the exporter writes, written separately from the exporter so that tests can compare
 * what comes back with the synthesized JSON. It covers what Terraform configurations written by
 * lib/hcl-export contain: blocks with labels, arguments, quoted templates (decoded back to Terraform's
 * template text, as a JSON string holds it), numbers, booleans, null, tuples, objects, and bare expressions.
 */

/** A bare (unquoted) expression, e.g. `aws_sqs_queue.dlq.arn`. */
export class Expression {
  constructor(readonly text: string) {}
}

/** The bodies of the blocks of one type (and labels) in a body, in order. */
export class BlockList {
  constructor(readonly bodies: HclBody[]) {}
}

/** A value of an argument. */
export type HclValue = string | number | boolean | null | Expression | HclValue[] | { [key: string]: HclValue };

/** A body: arguments by name; blocks by type, then by label, ending in a {@link BlockList}. */
export type HclBody = { [key: string]: HclValue | BlockList | HclLabels };
/** Blocks of one type, by label. */
export type HclLabels = { [label: string]: BlockList | HclLabels };

/** Text the reader does not accept; the message says where. */
export class HclReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HclReadError";
  }
}

/** Reads a whole file. */
export function readHcl(text: string): HclBody {
  return new Reader(text).file();
}

/** Decodes one quoted string (quotes included) to its template text. */
export function readQuotedString(text: string): string {
  const reader = new Reader(text);
  const value = reader.quoted();
  if (!reader.atEnd()) throw new HclReadError(`text after the closing quote in ${text}`);
  return value;
}

const IDENTIFIER = /[A-Za-z0-9_-]/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

class Reader {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  file(): HclBody {
    return this.body(false);
  }

  private fail(what: string): never {
    const line = this.text.slice(0, this.pos).split("\n").length;
    throw new HclReadError(`line ${line}: ${what} (at ${JSON.stringify(this.text.slice(this.pos, this.pos + 40))})`);
  }

  private peek(offset = 0): string {
    return this.text[this.pos + offset] ?? "";
  }

  private skipInline(): void {
    while (this.peek() === " ") this.pos++;
  }

  /** Skips spaces, newlines and `#` comments. */
  private skipLines(): void {
    for (;;) {
      const char = this.peek();
      if (char === " " || char === "\n") this.pos++;
      else if (char === "#") while (!this.atEnd() && this.peek() !== "\n") this.pos++;
      else return;
    }
  }

  private identifier(): string {
    const start = this.pos;
    while (IDENTIFIER.test(this.peek())) this.pos++;
    if (start === this.pos) this.fail("expected a name");
    return this.text.slice(start, this.pos);
  }

  private expect(char: string): void {
    if (this.peek() !== char) this.fail(`expected ${JSON.stringify(char)}`);
    this.pos++;
  }

  private endOfLine(): void {
    this.skipInline();
    if (!this.atEnd() && this.peek() !== "\n") this.fail("expected the end of the line");
  }

  private body(closed: boolean): HclBody {
    const body: HclBody = {};
    for (;;) {
      this.skipLines();
      if (this.atEnd()) {
        if (closed) this.fail("a block is never closed");
        return body;
      }
      if (this.peek() === "}") {
        if (!closed) this.fail("unexpected }");
        this.pos++;
        return body;
      }
      const name = this.identifier();
      this.skipInline();
      if (this.peek() === "=") {
        this.pos++;
        if (name in body) this.fail(`argument ${name} is set twice`);
        body[name] = this.value("line");
        this.endOfLine();
        continue;
      }
      const labels: string[] = [];
      while (this.peek() === '"') {
        labels.push(this.quoted());
        this.skipInline();
      }
      this.expect("{");
      const nested = this.body(true);
      this.addBlock(body, [name, ...labels], nested);
    }
  }

  private addBlock(body: HclBody, path: string[], nested: HclBody): void {
    let target: HclBody | HclLabels = body;
    for (const key of path.slice(0, -1)) {
      const next: unknown = target[key];
      if (next === undefined) target[key] = {};
      else if (next instanceof BlockList || typeof next !== "object" || next === null || Array.isArray(next)) this.fail(`${key} is used in two ways`);
      target = target[key] as HclLabels;
    }
    const last = path[path.length - 1];
    const existing: unknown = target[last];
    if (existing === undefined) target[last] = new BlockList([nested]);
    else if (existing instanceof BlockList) existing.bodies.push(nested);
    else this.fail(`${last} is used in two ways`);
  }

  /** A value; `context` says what ends a bare expression. */
  private value(context: "line" | "tuple"): HclValue {
    this.skipInline();
    const char = this.peek();
    if (char === '"') return this.quoted();
    if (char === "[") return this.tuple();
    if (char === "{") return this.object();
    const text = this.bare(context);
    if (NUMBER.test(text)) return Number(text);
    if (text === "true") return true;
    if (text === "false") return false;
    if (text === "null") return null;
    return new Expression(text);
  }

  private tuple(): HclValue[] {
    this.expect("[");
    const items: HclValue[] = [];
    for (;;) {
      this.skipLines();
      if (this.peek() === "]") {
        this.pos++;
        return items;
      }
      items.push(this.value("tuple"));
      this.skipInline();
      if (this.peek() === ",") this.pos++;
      else {
        this.skipLines();
        if (this.peek() !== "]") this.fail("expected , or ]");
      }
    }
  }

  private object(): { [key: string]: HclValue } {
    this.expect("{");
    const entries: { [key: string]: HclValue } = {};
    for (;;) {
      this.skipLines();
      if (this.peek() === "}") {
        this.pos++;
        return entries;
      }
      const key = this.peek() === '"' ? this.quoted() : this.identifier();
      this.skipInline();
      this.expect("=");
      if (key in entries) this.fail(`key ${key} is set twice`);
      entries[key] = this.value("line");
      this.endOfLine();
    }
  }

  /** A bare expression: up to the end of the line (or `,` / `]` in a tuple) outside brackets and strings. */
  private bare(context: "line" | "tuple"): string {
    const start = this.pos;
    let depth = 0;
    while (!this.atEnd()) {
      const char = this.peek();
      if (char === '"') {
        this.quoted();
        continue;
      }
      if (depth === 0 && (char === "\n" || (context === "tuple" && (char === "," || char === "]")))) break;
      if ("([{".includes(char)) depth++;
      if (")]}".includes(char)) depth--;
      if (depth < 0) this.fail("unbalanced brackets");
      this.pos++;
    }
    const text = this.text.slice(start, this.pos).trim();
    if (text === "") this.fail("expected a value");
    return text;
  }

  /** A quoted template, decoded: escapes resolved in literal text, `${...}` and `%{...}` kept as written. */
  quoted(): string {
    this.expect('"');
    let value = "";
    for (;;) {
      const char = this.peek();
      if (this.atEnd() || char === "\n") this.fail("a string is never closed");
      if (char === '"') {
        this.pos++;
        return value;
      }
      if (char === "\\") {
        value += this.escape();
        continue;
      }
      if ((char === "$" || char === "%") && this.peek(1) === char && this.peek(2) === "{") {
        value += this.text.slice(this.pos, this.pos + 3);
        this.pos += 3;
        continue;
      }
      if ((char === "$" || char === "%") && this.peek(1) === "{") {
        value += this.sequence();
        continue;
      }
      value += char;
      this.pos++;
    }
  }

  private escape(): string {
    const code = this.peek(1);
    const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
    if (code in simple) {
      this.pos += 2;
      return simple[code];
    }
    const digits = code === "u" ? 4 : code === "U" ? 8 : 0;
    const hex = this.text.slice(this.pos + 2, this.pos + 2 + digits);
    if (digits === 0 || !/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== digits) this.fail("unknown escape");
    this.pos += 2 + digits;
    return String.fromCodePoint(parseInt(hex, 16));
  }

  /** A `${...}` or `%{...}` sequence, as written (its expression keeps its own quoting). */
  private sequence(): string {
    const start = this.pos;
    this.pos += 2;
    let depth = 1;
    while (depth > 0) {
      if (this.atEnd()) this.fail("a template sequence is never closed");
      const char = this.peek();
      if (char === '"') {
        this.quoted();
        continue;
      }
      if (char === "{") depth++;
      if (char === "}") depth--;
      this.pos++;
    }
    return this.text.slice(start, this.pos);
  }
}
