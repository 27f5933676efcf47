/**
 * The operator of `npm run incidents` (lib/authz/operator.ts): the documented least-privilege policy, evaluated by
 * the proof against the synthesized tables and key, and the one call AWS authorizes without any policy.
 */
import { proveConfiguration, synthesizeConfiguration } from "../../lib/authz/proof";
import { NO_POLICY_EVALUATED, OPERATOR_CALLS, operatorPolicy } from "../../lib/authz/operator";
import { evaluateCall } from "../../lib/authz/evaluate";
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
