/**
 * Escaping for the widget's HTML. Every value that comes from the suppression table (log group names, fingerprints,
 * releases, notes, who triaged) is untrusted: a log line or a release string reaches the table from any monitored
 * application. CloudWatch removes JavaScript from a custom widget's HTML before rendering it ("Security and JavaScript
 * for custom CloudWatch widgets", CloudWatch User Guide,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/add_custom_widget_dashboard_security.html), but the
 * widget does not rely on that: a value can neither open an element nor leave an attribute, here or in any browser.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "\r": "&#13;", "\0": "\uFFFD" };

/**
 * Text for an element's content or a double- or single-quoted attribute value: `&`, `<`, `>`, `"` and `'` as
 * character references (OWASP Cross Site Scripting Prevention Cheat Sheet, rules 1 and 2). What an HTML parser would
 * not keep as it is becomes what it would show: a lone surrogate or U+0000 becomes U+FFFD; a carriage return, which
 * the parser's input preprocessing turns into a line feed (HTML Living Standard, "Preprocessing the input stream"),
 * is written `&#13;`, which it keeps.
 */
export function escapeHtml(value: string): string {
  return toWellFormedText(value).replace(/[&<>"'\r\0]/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** `value` with each lone surrogate replaced by U+FFFD (String.prototype.toWellFormed, without needing ES2024 types). */
function toWellFormedText(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/**
 * The JSON of a `<cwdb-action>` element's parameters, as the element's content. The interactivity page shows the
 * parameters as plain JSON text inside the element (CloudWatch User Guide, "Interactivity in the custom widget",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/add_custom_widget_dashboard_interactivity.html) and
 * does not say whether the console reads it as text or as markup; so the JSON holds no character the HTML parser
 * reads (`<`, `>` and `&` are written as JSON's `\u003c`, `\u003e`, `\u0026`). Its text and its inner HTML are then
 * the same string, and `JSON.parse` of either gives the parameters back.
 */
export function jsonForElement(params: unknown): string {
  return toWellFormedText(JSON.stringify(params)).replace(/[<>&]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
