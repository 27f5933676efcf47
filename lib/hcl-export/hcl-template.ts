/**
 * Strings of Terraform JSON as HCL quoted strings.
 *
 * Every string value in Terraform JSON is a template: after JSON decoding, `${...}` is an interpolation,
 * `%{...}` a directive, and `$${` / `%%{` are a literal `${` / `%{`; backslashes mean nothing to the template.
 * An HCL quoted string is the same template language with backslash escapes on top (`\\`, `\"`, `\n`, ...).
 * So a JSON string becomes an HCL string by escaping its literal text and copying its interpolation and
 * directive sequences unchanged: they are HCL expressions already, nested quotes and escapes included.
 */

/** A template string that cannot be scanned, e.g. an interpolation that is never closed. */
export class TemplateSyntaxError extends Error {
  constructor(
    /** The template as found in the synthesized JSON. */
    readonly template: string,
    /** What is wrong with it. */
    readonly reason: string,
  ) {
    super(`Cannot convert the Terraform template ${JSON.stringify(template)}: ${reason}`);
    this.name = "TemplateSyntaxError";
  }
}

/** One piece of a template: literal text, or a `${...}` / `%{...}` sequence kept exactly as written. */
export type TemplatePart = { readonly kind: "literal"; readonly text: string } | { readonly kind: "sequence"; readonly text: string };

/**
 * Splits a template (Terraform's template syntax, as in a decoded JSON string) into literal text and
 * sequences. The escapes `$${` and `%%{` stay in the literal text as written, since HCL quoted strings use
 * the same escapes.
 */
export function splitTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = "";
  let i = 0;
  while (i < template.length) {
    const char = template[i];
    if ((char === "$" || char === "%") && template[i + 1] === char && template[i + 2] === "{") {
      literal += template.slice(i, i + 3);
      i += 3;
    } else if ((char === "$" || char === "%") && template[i + 1] === "{") {
      if (literal !== "") parts.push({ kind: "literal", text: literal });
      literal = "";
      const end = endOfSequence(template, i + 2);
      parts.push({ kind: "sequence", text: template.slice(i, end) });
      i = end;
    } else {
      literal += char;
      i++;
    }
  }
  if (literal !== "") parts.push({ kind: "literal", text: literal });
  return parts;
}

/**
 * The index just past the `}` that closes a sequence whose body starts at `start`. Braces are counted, and
 * quoted strings inside the expression are skipped (with their own escapes and nested sequences), so that
 * `${lookup(m, "}")}` ends where Terraform ends it.
 */
function endOfSequence(template: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < template.length) {
    const char = template[i];
    if (char === '"') {
      i = endOfQuotedString(template, i + 1);
      continue;
    }
    if (char === "{") depth++;
    if (char === "}") {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  throw new TemplateSyntaxError(template, `the sequence opened at offset ${start - 2} is never closed`);
}

/** The index just past the closing quote of a quoted string inside an expression, starting after its opening quote. */
function endOfQuotedString(template: string, start: number): number {
  let i = start;
  while (i < template.length) {
    const char = template[i];
    if (char === "\\") {
      i += 2;
    } else if (char === '"') {
      return i + 1;
    } else if ((char === "$" || char === "%") && template[i + 1] === char && template[i + 2] === "{") {
      i += 3;
    } else if ((char === "$" || char === "%") && template[i + 1] === "{") {
      i = endOfSequence(template, i + 2);
    } else {
      i++;
    }
  }
  throw new TemplateSyntaxError(template, `the string opened at offset ${start - 1} is never closed`);
}

/** Escapes literal template text for an HCL quoted string. */
function escapeLiteral(text: string): string {
  let escaped = "";
  for (const char of text) {
    switch (char) {
      case "\\":
        escaped += "\\\\";
        break;
      case '"':
        escaped += '\\"';
        break;
      case "\n":
        escaped += "\\n";
        break;
      case "\r":
        escaped += "\\r";
        break;
      case "\t":
        escaped += "\\t";
        break;
      default: {
        const code = char.codePointAt(0) ?? 0;
        // Other control characters would be invisible (or break the line) in the file.
        escaped += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, "0")}` : char;
      }
    }
  }
  return escaped;
}

/** The HCL quoted string (quotes included) with the same meaning as a Terraform JSON string. */
export function renderQuotedTemplate(template: string): string {
  const body = splitTemplate(template)
    .map((part) => (part.kind === "literal" ? escapeLiteral(part.text) : part.text))
    .join("");
  return `"${body}"`;
}

/**
 * The expression inside a template that is one interpolation and nothing else (`"${aws_sqs_queue.dlq.arn}"`),
 * or undefined. Terraform evaluates such a template to the expression's value unchanged (not converted to a
 * string), so writing the bare expression means the same, and it is what `terraform fmt` writes.
 * Expressions that span lines stay wrapped: they would need parentheses to stand alone.
 */
export function interpolationOnly(template: string): string | undefined {
  const parts = splitTemplate(template);
  if (parts.length !== 1 || parts[0].kind !== "sequence" || !parts[0].text.startsWith("${")) return undefined;
  // Strip markers (`${~ x ~}`) trim neighbouring literal text, and there is none.
  const inner = parts[0].text.slice(2, -1).replace(/^~/, "").replace(/~$/, "");
  if (inner.includes("\n")) return undefined;
  const expression = inner.trim();
  return expression === "" ? undefined : expression;
}

/** An HCL expression for a Terraform JSON string: the bare expression of an interpolation-only template, else the quoted template. */
export function renderStringExpression(template: string): string {
  return interpolationOnly(template) ?? renderQuotedTemplate(template);
}
