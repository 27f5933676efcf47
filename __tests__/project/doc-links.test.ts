/**
 * The README is a front door into docs/: every relative link in README.md and docs/*.md must reach a file, and every
 * `#anchor` a heading of that file, as GitHub renders it. External links (http, mailto) are not followed: tests are
 * offline.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** README.md and every docs/*.md, relative to the project folder. */
export function documentationFiles(root: string): string[] {
  const docs = fs.existsSync(path.join(root, "docs"))
    ? fs.readdirSync(path.join(root, "docs")).filter((name) => name.endsWith(".md")).sort().map((name) => `docs/${name}`)
    : [];
  return ["README.md", ...docs];
}

/** Text outside fenced code blocks and inline code spans, where a link is a link. */
function proseOf(markdown: string): string {
  let inBlock = false;
  return markdown
    .split("\n")
    .map((line) => {
      if (/^\s*```/.test(line)) {
        inBlock = !inBlock;
        return "";
      }
      return inBlock ? "" : line.replace(/`[^`]*`/g, "``");
    })
    .join("\n");
}

/** Every `[text](target)` link of a Markdown text, with its 1-based line. */
export function linksOf(markdown: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  proseOf(markdown)
    .split("\n")
    .forEach((line, index) => {
      for (const match of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) links.push({ target: match[1] as string, line: index + 1 });
    });
  return links;
}

/**
 * The anchors GitHub gives a file's headings: lower case, punctuation other than `-` and `_` dropped, spaces made
 * hyphens, and `-1`, `-2`, ... after repeats.
 */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inBlock = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) inBlock = !inBlock;
    const heading = inBlock ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading === null) continue;
    const slug = (heading[1] as string)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The links of `file` (relative to `root`) that do not resolve: "line: target (why)". */
export function brokenLinks(root: string, file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const broken: string[] = [];
  for (const { target, line } of linksOf(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [pathPart, anchor] = target.split("#", 2) as [string, string | undefined];
    const resolved = pathPart === "" ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), decodeURI(pathPart));
    if (!fs.existsSync(resolved)) {
      broken.push(`${file}:${line}: ${target} (no such file)`);
      continue;
    }
    if (anchor !== undefined && anchor !== "") {
      if (!resolved.endsWith(".md")) {
        broken.push(`${file}:${line}: ${target} (an anchor into a file that is not Markdown)`);
      } else if (!anchorsOf(fs.readFileSync(resolved, "utf8")).has(decodeURIComponent(anchor))) {
        broken.push(`${file}:${line}: ${target} (no heading with that anchor)`);
      }
    }
  }
  return broken;
}

describe("links in the README and docs/", () => {
  const files = documentationFiles(PROJECT_ROOT);

  it("finds the README and the pages of docs/", () => {
    expect(files).toContain("README.md");
    expect(files).toEqual(expect.arrayContaining(["docs/configuration.md", "docs/operations.md", "docs/tools.md"]));
  });

  it.each(files)("every relative link and anchor in %s resolves", (file) => {
    expect(brokenLinks(PROJECT_ROOT, file)).toEqual([]);
  });

  it("the README links to every page of docs/", () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const linked = new Set(linksOf(readme).map(({ target }) => target.split("#")[0]));
    expect(files.filter((file) => file.startsWith("docs/") && !linked.has(file))).toEqual([]);
  });

  it("computes anchors as GitHub does, and reports a link that does not resolve (the check can fail)", () => {
    expect([...anchorsOf("# A `b` c!\n## Kinesis transport (`LOG_MONITOR_TRANSPORT=kinesis`)\n## A b c\n```\n# not a heading\n```")]).toEqual([
      "a-b-c",
      "kinesis-transport-log_monitor_transportkinesis",
      "a-b-c-1",
    ]);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "doc-links-"));
    try {
      fs.mkdirSync(path.join(root, "docs"));
      fs.writeFileSync(path.join(root, "docs", "page.md"), "# Page\n\n## Deploying\n");
      fs.writeFileSync(
        path.join(root, "README.md"),
        "[ok](docs/page.md#deploying) [gone](docs/missing.md) [bad anchor](docs/page.md#deploy) `[code](docs/x.md)` [web](https://example.com)\n",
      );
      expect(brokenLinks(root, "README.md")).toEqual([
        "README.md:1: docs/missing.md (no such file)",
        "README.md:1: docs/page.md#deploy (no heading with that anchor)",
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
