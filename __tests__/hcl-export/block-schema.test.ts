import { DataTerraformRemoteStateS3, Testing, TerraformStack } from "cdktf";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BodySchema, schemaOfStack } from "../../lib/hcl-export/block-schema";

/** The schema as plain data: "argument", or the nested body of a block. */
function kinds(body: BodySchema | undefined): unknown {
  if (body === undefined) return undefined;
  return Object.fromEntries([...body].map(([key, schema]) => [key, schema.kind === "block" ? kinds(schema.body) : "argument"]));
}

describe("schemaOfStack", () => {
  // Prepare: elements whose JSON looks alike for blocks and objects (environment vs tags, default_tags).
  const app = Testing.app();
  const stack = new TerraformStack(app, "example");
  new AwsProvider(stack, "aws", { region: "eu-west-1", defaultTags: [{ tags: { Project: "app" } }] });
  const fn = new LambdaFunction(stack, "fn", {
    functionName: "fn",
    role: "arn:aws:iam::123456789012:role/fn",
    environment: { variables: { A: "1" } },
    loggingConfig: { logFormat: "JSON" },
    tags: { Name: "fn" },
  });
  fn.addOverride("lifecycle.ignore_changes", ["tags"]);
  fn.addOverride("ephemeral_storage", { size: 1024 });
  new DataAwsIamPolicyDocument(stack, "doc", {
    statement: [
      { actions: ["s3:GetObject"], resources: ["*"] },
      { actions: ["s3:*"], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] },
    ],
  });
  new DataTerraformRemoteStateS3(stack, "other", { bucket: "state", key: "other.tfstate" });

  // Act
  const schema = schemaOfStack(stack);

  it("tells nested blocks from arguments of object type, from CDKTF's provider classes", () => {
    expect(kinds(schema.bodyOf("resource", "aws_lambda_function", "fn"))).toEqual({
      environment: { variables: "argument" },
      function_name: "argument",
      logging_config: { log_format: "argument" },
      role: "argument",
      tags: "argument",
    });
    expect(kinds(schema.bodyOf("provider", "aws"))).toEqual({ default_tags: { tags: "argument" }, region: "argument" });
  });

  it("merges the keys of every block of a list (the second statement alone has a condition)", () => {
    expect(kinds(schema.bodyOf("data", "aws_iam_policy_document", "doc"))).toEqual({
      statement: { actions: "argument", condition: { test: "argument", values: "argument", variable: "argument" }, resources: "argument" },
    });
  });

  it("leaves values set with addOverride unknown, so that the renderer refuses to guess", () => {
    const body = schema.bodyOf("resource", "aws_lambda_function", "fn");
    expect(body?.get("ephemeral_storage")).toBeUndefined();
    expect(body?.get("lifecycle")).toBeUndefined();
  });

  it("knows terraform_remote_state (Terraform's built-in provider) has arguments only", () => {
    expect(kinds(schema.bodyOf("data", "terraform_remote_state", "other"))).toEqual({
      backend: "argument",
      config: "argument",
      defaults: "argument",
      workspace: "argument",
    });
  });

  it("knows nothing of elements that are not in the stack", () => {
    expect(schema.bodyOf("resource", "aws_lambda_function", "missing")).toBeUndefined();
  });
});
