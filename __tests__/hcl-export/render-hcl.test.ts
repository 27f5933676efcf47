import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BodySchema, KeySchema, StackSchema } from "../../lib/hcl-export/block-schema";
import { HclExportError, JsonObject, renderStackHcl } from "../../lib/hcl-export/render-hcl";
import { evaluateOutputs, fmtProblems } from "./terraform-cli";

const ARGUMENT: KeySchema = { kind: "attribute" };
const block = (entries: [string, KeySchema][] = []): KeySchema => ({ kind: "block", body: new Map(entries) });

/** A schema from bodies by address (`resource.<type>.<name>`, `provider.<type>`). */
function schemaOf(bodies: Record<string, BodySchema>): StackSchema {
  return { bodyOf: (section, type, name) => bodies[[section, type, name].filter((part) => part !== undefined).join(".")] };
}

const NO_SCHEMA = schemaOf({});

/** Writes text to a scratch .tf file and returns what `terraform fmt -check` says about it. */
function fmtCheck(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hcl-export-fmt-"));
  try {
    fs.writeFileSync(path.join(dir, "main.tf"), text);
    return fmtProblems(path.join(dir, "main.tf"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("renderStackHcl", () => {
  // Prepare: one of everything the exporter writes, as CDKTF synthesizes it.
  const json: JsonObject = {
    "//": { metadata: { stackName: "example", version: "0.21.0" } },
    terraform: {
      backend: { s3: { bucket: "state", encrypt: true, key: "app/example.tfstate", region: "eu-west-1", use_lockfile: true } },
      required_providers: { aws: { source: "aws", version: "6.25.0" } },
      required_version: ">= 1.10.0, < 2.0.0",
    },
    provider: {
      aws: [
        { default_tags: [{ tags: { Project: "app", "cost-center": "42" } }], region: "eu-west-1" },
        { alias: "us", region: "us-east-1" },
      ],
    },
    data: {
      aws_iam_policy_document: {
        "tls-only": {
          "//": { metadata: { path: "example/tls-only" } },
          statement: [
            {
              actions: ["sqs:SendMessage"],
              condition: [{ test: "Bool", values: ["false"], variable: "aws:SecureTransport" }],
              effect: "Deny",
              resources: ["${aws_sqs_queue.queue.arn}"],
            },
          ],
        },
      },
    },
    resource: {
      aws_lambda_function: {
        handler: {
          count: "${var.enabled ? 1 : 0}",
          provider: "aws.us",
          depends_on: ["aws_iam_role_policy.policy"],
          environment: { variables: { QUEUE_URL: "${aws_sqs_queue.queue.url}", "not-an-env-name": "x" } },
          function_name: "handler",
          lifecycle: {
            create_before_destroy: true,
            ignore_changes: ["tags", "${environment}"],
            precondition: [{ condition: "${var.enabled}", error_message: 'Set "enabled".' }],
          },
          tags: { Name: "handler", for: "reserved word" },
          tracing_config: { mode: "Active" },
          vpc_config: [],
        },
      },
      aws_sqs_queue: {
        queue: { "//": { metadata: { path: "example/queue" } }, lifecycle: { ignore_changes: "all" }, name: "queue", redrive_allow_policy: null },
      },
    },
    output: { queue_arn: { depends_on: ["aws_sqs_queue.queue"], description: "The queue", sensitive: true, value: "${aws_sqs_queue.queue.arn}" } },
  };
  const schema = schemaOf({
    "provider.aws": new Map([["default_tags", block([["tags", ARGUMENT]])]]),
    "data.aws_iam_policy_document.tls-only": new Map([["statement", block([["condition", block()], ["actions", ARGUMENT]])]]),
    "resource.aws_lambda_function.handler": new Map([
      ["environment", block([["variables", ARGUMENT]])],
      ["tags", ARGUMENT],
      ["tracing_config", block()],
      ["vpc_config", block()],
    ]),
  });

  it("writes blocks as blocks, objects as objects, references bare, meta-arguments in Terraform's style", () => {
    // Act
    const hcl = renderStackHcl(json, schema, {
      header: ["Stack example.", "", "Second paragraph."],
      above: (address) => (address === "terraform.backend" ? ["The backend."] : address === "output.queue_arn" ? ["An output."] : []),
    });

    // Assess
    expect(hcl).toBe(`# Stack example.
#
# Second paragraph.

terraform {
  required_version = ">= 1.10.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "aws"
      version = "6.25.0"
    }
  }

  # The backend.
  backend "s3" {
    bucket       = "state"
    encrypt      = true
    key          = "app/example.tfstate"
    region       = "eu-west-1"
    use_lockfile = true
  }
}

provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      Project       = "app"
      "cost-center" = "42"
    }
  }
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

data "aws_iam_policy_document" "tls-only" {
  statement {
    actions   = ["sqs:SendMessage"]
    effect    = "Deny"
    resources = [aws_sqs_queue.queue.arn]

    condition {
      test     = "Bool"
      values   = ["false"]
      variable = "aws:SecureTransport"
    }
  }
}

resource "aws_lambda_function" "handler" {
  count    = var.enabled ? 1 : 0
  provider = aws.us

  function_name = "handler"
  tags = {
    Name  = "handler"
    "for" = "reserved word"
  }

  environment {
    variables = {
      QUEUE_URL         = aws_sqs_queue.queue.url
      "not-an-env-name" = "x"
    }
  }

  tracing_config {
    mode = "Active"
  }

  depends_on = [aws_iam_role_policy.policy]

  lifecycle {
    create_before_destroy = true
    ignore_changes        = [tags, environment]

    precondition {
      condition     = var.enabled
      error_message = "Set \\"enabled\\"."
    }
  }
}

resource "aws_sqs_queue" "queue" {
  name                 = "queue"
  redrive_allow_policy = null

  lifecycle {
    ignore_changes = all
  }
}

# An output.
output "queue_arn" {
  description = "The queue"
  sensitive   = true
  value       = aws_sqs_queue.queue.arn

  depends_on = [aws_sqs_queue.queue]
}
`);
  });

  it("writes what terraform fmt -check accepts as canonical", () => {
    expect(fmtCheck(renderStackHcl(json, schema))).toBe("");
  });

  it("writes long lists one element a line, with a trailing comma", () => {
    const arns = ["a", "b", "c"].map((name) => `\${aws_sns_topic.${name}-topic-with-a-long-enough-name.arn}`);
    const hcl = renderStackHcl({ output: { arns: { value: arns } } }, NO_SCHEMA);
    expect(hcl).toBe(`output "arns" {
  value = [
    aws_sns_topic.a-topic-with-a-long-enough-name.arn,
    aws_sns_topic.b-topic-with-a-long-enough-name.arn,
    aws_sns_topic.c-topic-with-a-long-enough-name.arn,
  ]
}
`);
    expect(fmtCheck(hcl)).toBe("");
  });

  it("refuses an object nothing says is a block or an argument (a value set with addOverride), naming it", () => {
    const unknown = { resource: { aws_sqs_queue: { queue: { name: "q", settings: { a: 1 } } } } };
    expect(() => renderStackHcl(unknown, NO_SCHEMA)).toThrow(
      new HclExportError(
        "resource.aws_sqs_queue.queue.settings",
        "is an object, and neither CDKTF's description of this element nor the exporter says whether it is a nested block or an " +
          "argument of object type (typically a value set with addOverride); the two are written differently in HCL",
      ),
    );
  });

  it("refuses what it does not support rather than writing something else", () => {
    expect(() => renderStackHcl({ module: { vpc: { source: "./vpc" } } }, NO_SCHEMA)).toThrow(
      "module: this kind of top-level block is not supported by the exporter; extend lib/hcl-export/render-hcl.ts",
    );
    expect(() => renderStackHcl({ resource: { aws_sqs_queue: { q: { dynamic: { tag: {} } } } } }, NO_SCHEMA)).toThrow(
      "resource.aws_sqs_queue.q.dynamic: dynamic blocks are not supported by the exporter (this project has none); extend lib/hcl-export/render-hcl.ts",
    );
    expect(() => renderStackHcl({ terraform: { cloud: { organization: "o" } } }, NO_SCHEMA)).toThrow(
      "terraform.cloud: is not supported by the exporter; extend lib/hcl-export/render-hcl.ts",
    );
    const blockAsString = { resource: { aws_lambda_function: { f: { tracing_config: "${local.tracing}" } } } };
    const tracing = schemaOf({ "resource.aws_lambda_function.f": new Map([["tracing_config", block()]]) });
    expect(() => renderStackHcl(blockAsString, tracing)).toThrow("resource.aws_lambda_function.f.tracing_config: must be a JSON object");
  });
});

describe("renderStackHcl, evaluated by Terraform", () => {
  // Values that are hard to carry from JSON to HCL. Terraform evaluates each as an output of a JSON
  // configuration and of the rendered HCL one; the results must be the same values of the same types.
  const tricky: Record<string, unknown> = {
    regex_pattern: "%ERROR|[Ee]rror|level.{2,3}[56][0-9]%",
    json_pattern: '{ $.level = "ERROR" || $.level = "FATAL" }',
    whitespace: "tab\there\nnew line\r\nwindows line",
    backslashes: "C:\\logs\\new \\\\ \\t is not a tab",
    template_escapes: "$${not interpolated} %%{not a directive} 100% $5 $$ %% ends with $",
    interpolation_with_quotes: 'before ${upper("a\\"b")} ${"}"} after "quoted"',
    nested_template: '${"outer ${"inner"} \\"q\\""}',
    // Expressions inside ${...} and %{...} are copied as written; terraform fmt would respace `%{ if x }`.
    directive: "%{if true}yes%{else}no%{endif}",
    unicode: "é ✓ 𝄞 and a control character \u0001",
    interpolation_only_object: '${jsonencode({ a = 1, b = [true, null] })}',
    interpolation_only_list: '${tolist(["x", "y"])}',
    strip_markers: '${~ "stripped" ~}',
    dashboard_like_body: JSON.stringify({
      widgets: [{ type: "log", properties: { query: "SOURCE '${terraform.workspace}' | filter level in [\"ERROR\"] | limit 20" } }],
    }),
    empty: "",
    numbers_and_literals: [0, -3, 2.5, 1e21, true, false, null],
    object_keys: { for: 1, "b-c": 2, "a b": 3, "": 4, "${upper(\"k\")}": 5, "quote\"key": 6, "$${literal}": 7 },
    nested: { list: [{ a: "${upper(\"q\")}" }, [], {}], empty_object: {}, empty_list: [] },
  };
  const outputs = Object.fromEntries(Object.entries(tricky).map(([name, value]) => [name, { value }]));

  it("gives every value the meaning it has in Terraform JSON", () => {
    // Act
    const hcl = renderStackHcl({ output: outputs } as JsonObject, NO_SCHEMA);
    const fromJson = evaluateOutputs("main.tf.json", JSON.stringify({ output: outputs }));
    const fromHcl = evaluateOutputs("main.tf", hcl);

    // Assess
    expect(Object.keys(fromJson).sort()).toEqual(Object.keys(tricky).sort());
    expect(fromHcl).toEqual(fromJson);
    expect(fmtCheck(hcl)).toBe("");
  });
});
