/**
 * The operator of `npm run incidents` (lib/authz/operator.ts): the documented least-privilege policy, evaluated by
 * the proof against the synthesized tables and key, and the one call AWS authorizes without any policy.
 */
import { proveConfiguration, synthesizeConfiguration } from "../../lib/authz/proof";
import { NO_POLICY_EVALUATED, OPERATOR_CALLS, operatorPolicy } from "../../lib/authz/operator";
import { evaluateCall } from "../../lib/authz/evaluate";
import { runAuthz } from "../../lib/authz/cli";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

jest.setTimeout(300_000);

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

describe("the operator of npm run incidents, in the authorization proof", () => {
  let proof: Awaited<ReturnType<typeof proveConfiguration>>;
  let workDir: string;
  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "operator-proof-"));
    proof = await proveConfiguration(await synthesizeConfiguration(PROJECT_ROOT, workDir, { name: "default", env: {} }));
  });
  afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));
  const operatorResults = () => proof.results.filter((r) => r.call.principal.label.startsWith("operator"));

  it("allows every call the tool declares and refuses what an operator must not do, each as expected", () => {
    const results = operatorResults();
    expect(results.filter((r) => !r.passed).map((r) => `${r.call.action} ${r.call.resource}: ${r.decision}`)).toEqual([]);
    const allowed = new Set(results.filter((r) => r.call.expected === "Allowed").map((r) => r.call.action));
    for (const call of OPERATOR_CALLS) expect(allowed).toContain(call.action);
    expect(results.filter((r) => r.call.expected === "Denied").map((r) => r.call.action).sort()).toEqual(
      ["dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:Scan", "dynamodb:UpdateItem", "kms:Decrypt"].sort(),
    );
  });

  it("writes the policy with exact table and index ARNs and the key only through DynamoDB in the stack's region", () => {
    const policy = operatorPolicy(proof.model);
    const text = JSON.stringify(policy);
    expect(text).not.toContain("*\"");
    expect(text).toContain(`"kms:ViaService":"dynamodb.${proof.model.region}.amazonaws.com"`);
    expect(text).toContain("table/log-monitor-dev-incidents/index/by-log-group");
    expect(text).toContain("table/log-monitor-dev-alert-suppression");
    expect(text).not.toContain("sts:");
  });

  it("records sts:GetCallerIdentity as needing no permission, with AWS's rule as the reason, not a statement", () => {
    const identity = operatorResults().filter((r) => r.call.action === "sts:GetCallerIdentity");
    expect(identity.map((r) => [r.decision, r.decidingStatements])).toEqual([["Allowed", NO_POLICY_EVALUATED]]);
  });

  it("fails the proof when the policy is widened: a whole-item write allowed by a broader statement is reported (the check can fail)", async () => {
    const denied = operatorResults().find((r) => r.call.action === "dynamodb:PutItem") as (typeof proof.results)[number];
    const widened = { ...denied.call, identityPolicies: [{ name: "widened", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "dynamodb:*", Resource: denied.call.resource }] } }] };
    const result = await evaluateCall(widened as typeof denied.call);
    expect(result.passed).toBe(false);
    expect(result.decision).toBe("Allowed");
  });
});

describe("npm run authz -- --operator-policy", () => {
  it("prints the policy as JSON, names the app's key by its alias, and says what to replace before attaching it", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAuthz(["--operator-policy"], { AWS_REGION: "eu-west-1" }, PROJECT_ROOT, { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) });
    expect(code).toBe(0);
    const policy = JSON.parse(out.join("")) as { Statement: { Action: string[]; Resource: string | string[] }[] };
    expect(policy.Statement.flatMap((s) => s.Action).sort()).toEqual(
      ["dynamodb:Query", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"].sort(),
    );
    expect(JSON.stringify(policy)).toContain("ARN_OF_KEY_alias/log-monitor-dev");
    expect(err.join("")).toBe(
      "authz: before attaching it, replace the account 123456789012 with yours (or set LOG_MONITOR_ACCOUNT_ID); and ARN_OF_KEY_alias/log-monitor-dev with the output of: aws kms describe-key --key-id alias/log-monitor-dev --query KeyMetadata.Arn\n",
    );
  });
});
