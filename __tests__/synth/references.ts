/**
 * Every Terraform reference (`aws_sns_topic.alert-topic.arn`, `data.x.y.z`, ...) used inside `${...}`
 * interpolations anywhere in a synthesized stack, skipping the "//" metadata.
 */
export function findReferences(json: unknown): string[] {
  const references: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      for (const expression of interpolations(value)) {
        // An expression may be a function call around references; pick out each dotted reference.
        for (const match of expression.matchAll(/(?<![\w."-])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*)/g)) {
          references.push(match[1]);
        }
      }
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value !== null && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) if (key !== "//") visit(inner);
    }
  };
  visit(json);
  return references;
}

/** The expressions inside `${...}` in a Terraform JSON string (`$${` is an escaped literal). */
function interpolations(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "$") {
      i++;
      continue;
    }
    if (text[i] === "$" && text[i + 1] === "{") {
      let depth = 1;
      let j = i + 2;
      for (; j < text.length && depth > 0; j++) {
        if (text[j] === "{") depth++;
        else if (text[j] === "}") depth--;
      }
      found.push(text.slice(i + 2, j - 1));
      i = j - 1;
    }
  }
  return found;
}
