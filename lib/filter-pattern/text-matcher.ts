/**
 * Matching a string value against the text of a JSON or space-delimited condition (`= "UpdateTrail"`, `= 4*`,
 * `= *.html*`).
 *
 * An asterisk is a wildcard only at the start or the end of the text; inside, it is a literal character. This is
 * the one rule AWS has written down ("`*Event` will match PutEvent and GetEvent. `Event*` will match EventId and
 * EventName. `Ev*ent` will only match the actual string `Ev*ent`", FilterAndPatternSyntax.md, "Matching JSON Terms
 * Using Metric Filters"), and the AWS CDK documents the same ("'*' wildcard may appear in the value ... at the start
 * or at the end"). It holds whether the text is quoted or not: the CDK's `FilterPattern.exists()` renders `= "*"`.
 */
export type TextMatcher = (value: string) => boolean;

const matchesAnything: TextMatcher = () => true;

/** Compiles the text of a condition into a predicate on values. */
export function compileTextMatcher(text: string): TextMatcher {
  const leading = text.startsWith("*");
  const trailing = text.endsWith("*");
  if (!leading && !trailing) return (value) => value === text;
  // A run of asterisks at either end is one wildcard: "**abc" and "*abc" both mean "ends with abc".
  const core = text.replace(/^\*+/, "").replace(/\*+$/, "");
  if (core === "") return matchesAnything;
  if (leading && trailing) return (value) => value.includes(core);
  if (leading) return (value) => value.endsWith(core);
  return (value) => value.startsWith(core);
}
