import { parseFragment } from "parse5";

/** A node of parse5's default tree, as far as these tests read it. */
interface Node {
  readonly nodeName: string;
  readonly tagName?: string;
  readonly value?: string;
  readonly attrs?: readonly { readonly name: string; readonly value: string }[];
  readonly childNodes?: readonly Node[];
}

/** One `<cwdb-action>` as a browser parses it: its attributes, its JSON parameters, the label of the element it acts for. */
export interface ParsedAction {
  readonly attributes: Record<string, string>;
  readonly params: Record<string, unknown>;
  readonly label: string;
}

/** What a person (and the dashboard) reads in the widget's HTML, parsed as HTML5 parsers do (parse5). */
export interface ParsedWidget {
  /** Every text a person sees (not the style sheet, not the actions' parameters), concatenated. */
  readonly text: string;
  /** The table's body rows, each cell's visible text. */
  readonly rows: string[][];
  /** The line above the table, if any, and its class. */
  readonly notice?: string;
  readonly noticeClass?: string;
  /** Every link's href. */
  readonly hrefs: string[];
  readonly actions: ParsedAction[];
  /** Every element's tag name, and every attribute name, in document order. */
  readonly tags: string[];
  readonly attributeNames: string[];
}

const HIDDEN = new Set(["style", "cwdb-action"]);

function visibleText(node: Node): string {
  if (node.nodeName === "#text") return node.value ?? "";
  if (node.tagName !== undefined && HIDDEN.has(node.tagName)) return "";
  return (node.childNodes ?? []).map(visibleText).join("");
}

function rawText(node: Node): string {
  if (node.nodeName === "#text") return node.value ?? "";
  return (node.childNodes ?? []).map(rawText).join("");
}

function* elements(node: Node): Generator<Node> {
  for (const child of node.childNodes ?? []) {
    if (child.tagName !== undefined) yield child;
    yield* elements(child);
  }
}

function attributesOf(node: Node): Record<string, string> {
  return Object.fromEntries((node.attrs ?? []).map((attr) => [attr.name, attr.value]));
}

/** Parses the widget's HTML. */
export function parseDocument(html: string): ParsedWidget {
  const root = parseFragment(html) as unknown as Node;
  const all = [...elements(root)];
  const rows = all
    .filter((el) => el.tagName === "tbody")
    .flatMap((tbody) => (tbody.childNodes ?? []).filter((tr) => tr.tagName === "tr"))
    .map((tr) => (tr.childNodes ?? []).filter((td) => td.tagName === "td").map(visibleText));
  const notice = all.find((el) => (attributesOf(el).class ?? "").split(" ").includes("triage-notice"));
  const actions: ParsedAction[] = [];
  for (const parent of all) {
    const children = (parent.childNodes ?? []).filter((child) => child.tagName !== undefined);
    children.forEach((child, index) => {
      if (child.tagName !== "cwdb-action") return;
      actions.push({ attributes: attributesOf(child), params: JSON.parse(rawText(child)) as Record<string, unknown>, label: visibleText(children[index - 1] ?? { nodeName: "#none" }) });
    });
  }
  return {
    text: visibleText(root),
    rows,
    ...(notice === undefined ? {} : { notice: visibleText(notice), noticeClass: attributesOf(notice).class ?? "" }),
    hrefs: all.filter((el) => el.tagName === "a" && attributesOf(el).href !== undefined).map((el) => attributesOf(el).href ?? ""),
    actions,
    tags: all.map((el) => el.tagName ?? ""),
    attributeNames: all.flatMap((el) => (el.attrs ?? []).map((attr) => attr.name)),
  };
}
