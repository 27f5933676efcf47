import {
  interpolationOnly,
  renderQuotedTemplate,
  renderStringExpression,
  splitTemplate,
  TemplateSyntaxError,
} from "../../lib/hcl-export/hcl-template";
import { readQuotedString } from "./hcl-reader";

describe("renderQuotedTemplate", () => {
  it.each([
    ["a plain string", "log-monitor-dev-alerts", '"log-monitor-dev-alerts"'],
    ["the regex subscription pattern, unchanged", "%ERROR|[Ee]rror|level.{2,3}[56][0-9]%", '"%ERROR|[Ee]rror|level.{2,3}[56][0-9]%"'],
    ["a JSON metric pattern, quotes escaped", '{ $.level = "ERROR" }', '"{ $.level = \\"ERROR\\" }"'],
    ["a tab, a newline and a carriage return", "a\tb\nc\r", '"a\\tb\\nc\\r"'],
    ["backslashes", "C:\\logs\\n is not a newline", '"C:\\\\logs\\\\n is not a newline"'],
    ["other control characters", "bell\u0007 delete\u007f", '"bell\\u0007 delete\\u007f"'],
    ["an interpolation, kept as an expression", "${aws_kms_key.key.arn}:*", '"${aws_kms_key.key.arn}:*"'],
    ["quotes inside an interpolation, left alone", 'x-${lookup(var.m, "a\\"b")}-"y"', '"x-${lookup(var.m, "a\\"b")}-\\"y\\""'],
    ["a closing brace inside a string inside an interpolation", '${replace(a, "}", "")}"', '"${replace(a, "}", "")}\\""'],
    ["nested templates", '${"in ${"deep"} \\""}', '"${"in ${"deep"} \\""}"'],
    ["a directive", "%{ if var.on }on%{ endif }", '"%{ if var.on }on%{ endif }"'],
    ["literal $${ and %%{ escapes, kept", "$${not} %%{not} $$ %% 100% $5 end$", '"$${not} %%{not} $$ %% 100% $5 end$"'],
    ["non-ASCII text, as is", "é ✓ 𝄞", '"é ✓ 𝄞"'],
    ["the empty string", "", '""'],
  ])("writes %s", (_, template, expected) => {
    // Act
    const rendered = renderQuotedTemplate(template);

    // Assess: the expected text, and it reads back to the same template.
    expect(rendered).toBe(expected);
    expect(readQuotedString(rendered)).toBe(template);
  });

  it("fails on an interpolation that is never closed, naming the template", () => {
    expect(() => renderQuotedTemplate("arn:${aws_kms_key.key.arn")).toThrow(
      new TemplateSyntaxError("arn:${aws_kms_key.key.arn", "the sequence opened at offset 4 is never closed"),
    );
    expect(() => renderQuotedTemplate("arn:${aws_kms_key.key.arn")).toThrow(
      'Cannot convert the Terraform template "arn:${aws_kms_key.key.arn": the sequence opened at offset 4 is never closed',
    );
  });

  it("fails on a string inside an interpolation that is never closed", () => {
    expect(() => renderQuotedTemplate('${upper("a)}')).toThrow("the string opened at offset 8 is never closed");
  });
});

describe("splitTemplate", () => {
  it("separates literal text from sequences and keeps escapes in the literal text", () => {
    expect(splitTemplate('a $${b} ${c["}"]} %{ if d }e%{ endif }')).toEqual([
      { kind: "literal", text: "a $${b} " },
      { kind: "sequence", text: '${c["}"]}' },
      { kind: "literal", text: " " },
      { kind: "sequence", text: "%{ if d }" },
      { kind: "literal", text: "e" },
      { kind: "sequence", text: "%{ endif }" },
    ]);
  });
});

describe("interpolationOnly / renderStringExpression", () => {
  it.each([
    ["${aws_sqs_queue.dlq.arn}", "aws_sqs_queue.dlq.arn"],
    ["${ terraform.workspace }", "terraform.workspace"],
    ["${~ var.x ~}", "var.x"],
    ['${jsonencode({ a = "}" })}', 'jsonencode({ a = "}" })'],
  ])("unwraps %s to the bare expression", (template, expression) => {
    expect(interpolationOnly(template)).toBe(expression);
    expect(renderStringExpression(template)).toBe(expression);
  });

  it.each([["${a}${b}"], ["${a}:*"], ["x${a}"], ["%{ if a }b%{ endif }"], ["$${a}"], ["${\n  a\n}"], ["plain"]])(
    "keeps %j quoted",
    (template) => {
      expect(interpolationOnly(template)).toBeUndefined();
      expect(renderStringExpression(template)).toBe(renderQuotedTemplate(template));
    },
  );
});
