import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";

/**
 * "Stacks read as wiring" (STYLE.md, issue 18): a stack constructor lists constructs and connects their props; when it
 * needs a scroll bar, the logic belongs in a construct. About a screen, 120 lines, is the most a constructor may take.
 */
const MAX_CONSTRUCTOR_BODY_LINES = 120;
const STACKS_DIR = path.join(PROJECT_ROOT, "stacks");

/** Lines strictly between the braces of each class constructor's body in a source file, by class name. */
function constructorBodyLines(file: string): Map<string, number> {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const lines = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    if (ts.isConstructorDeclaration(node) && node.body !== undefined && ts.isClassDeclaration(node.parent)) {
      const open = source.getLineAndCharacterOfPosition(node.body.getStart(source)).line;
      const close = source.getLineAndCharacterOfPosition(node.body.getEnd()).line;
      lines.set(node.parent.name?.text ?? "(anonymous)", Math.max(0, close - open - 1));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

describe("stack constructors", () => {
  // Prepare
  const files = fs.readdirSync(STACKS_DIR).filter((name) => name.endsWith(".ts")).map((name) => path.join(STACKS_DIR, name));

  // Act
  const measured = files.flatMap((file) =>
    [...constructorBodyLines(file)].map(([className, lines]) => ({ stack: `${path.basename(file)} ${className}`, lines })),
  );

  it("finds every stack's constructor", () => {
    // Assess: the measurement cannot pass by finding nothing.
    expect(measured.map((entry) => entry.stack.split(" ")[1]).sort()).toEqual(
      expect.arrayContaining(["AlertingStack", "DashboardStack", "ProcessingStack", "SourceStack", "StateStack"]),
    );
  });

  it(`keeps every stack constructor within ${MAX_CONSTRUCTOR_BODY_LINES} lines`, () => {
    // Assess
    const tooLong = measured.filter((entry) => entry.lines > MAX_CONSTRUCTOR_BODY_LINES);
    expect(tooLong).toEqual([]);
  });

  it("counts the lines between the constructor body's braces", () => {
    // Prepare
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "constructor-length-")), "example.ts");
    fs.writeFileSync(file, ["class Example {", "  constructor() {", "    one();", "    two();", "  }", "}", ""].join("\n"));

    // Act and assess
    expect(constructorBodyLines(file)).toEqual(new Map([["Example", 2]]));
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
