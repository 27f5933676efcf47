import {
  ACCOUNT_WIDE_DIRECT_CONFIGURATION,
  ConfigurationProof,
  describeResult,
  failures,
  KINESIS_ACCOUNT_WIDE_CONFIGURATION,
} from "../../lib/authz/proof";
import { proveBroken, proveOnce, ProvenConfiguration } from "./proof-fixture";
import { editStatements, hasAction, hasCondition, hasPrincipal, removeStatements } from "./mutate-app";

const [kinesis, direct] = proveOnce(KINESIS_ACCOUNT_WIDE_CONFIGURATION, ACCOUNT_WIDE_DIRECT_CONFIGURATION) as [ProvenConfiguration, ProvenConfiguration];

const purposes = (proof: ConfigurationProof): string[] => failures(proof).map((result) => `${result.call.action} ${result.call.purpose}`).sort();
const decided = (proof: ConfigurationProof, principal: string, action: string, purpose: string) =>
  proof.results.find((r) => r.call.principal.principal === principal && r.call.action === action && r.call.purpose === purpose)?.decision;

describe("the authorization proof at scale (Kinesis transport, account-wide monitoring)", () => {
  it.each([
    ["kinesis-account-wide", () => kinesis.proof],
    ["account-wide-direct", () => direct.proof],
  ])("%s: every required call is Allowed and every forbidden call refused", (_name, proof) => {
    expect(failures(proof()).map(describeResult)).toEqual([]);
  });

  it("Kinesis: CloudWatch Logs assumes the delivery role and puts records with a data key; Lambda reads with the processor's role", () => {
    const { model } = kinesis.proof;
    expect(model.streams.map((s) => s.name)).toEqual(["log-monitor-scale-logs"]);
    const role = model.serviceRoles[0];
    expect(role?.name).toBe("log-monitor-scale-logs-delivery-eu-west-1");
    const session = `arn:aws:sts::${model.account}:assumed-role/${role?.name}/CloudWatchLogs`;
    expect(decided(kinesis.proof, "logs.amazonaws.com", "sts:AssumeRole", `CloudWatch Logs delivers account policy log-monitor-scale-errors with ${role?.name}`)).toBe("Allowed");
    expect(decided(kinesis.proof, session, "kinesis:PutRecord", "CloudWatch Logs puts account policy log-monitor-scale-errors's deliveries into log-monitor-scale-logs")).toBe("Allowed");
    expect(decided(kinesis.proof, session, "kms:GenerateDataKey", "kinesis uses the key of log-monitor-scale-logs for kinesis:PutRecord")).toBe("Allowed");
    // Refused: another account's CloudWatch Logs, reading with the delivery role, another environment's stream.
    expect(decided(kinesis.proof, "logs.amazonaws.com", "sts:AssumeRole", "CloudWatch Logs for another account's log group")).toBe("ImplicitlyDenied");
    expect(decided(kinesis.proof, session, "kinesis:GetRecords", "the delivery role reads the stream")).toBe("ImplicitlyDenied");
    expect(decided(kinesis.proof, session, "kinesis:PutRecord", "another environment's stream")).toBe("ImplicitlyDenied");
    const processor = model.functions.find((fn) => fn.handler === "log-processor");
    for (const action of ["kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards"]) {
      expect(decided(kinesis.proof, processor?.sessionArn ?? "", action, `Lambda reads log-monitor-scale-logs for ${processor?.name}`)).toBe("Allowed");
    }
    expect(decided(kinesis.proof, processor?.sessionArn ?? "", "kms:Decrypt", "kinesis uses the key of log-monitor-scale-logs for kinesis:GetRecords")).toBe("Allowed");
    expect(decided(kinesis.proof, processor?.sessionArn ?? "", "kinesis:PutRecord", "the processor writes to the stream")).toBe("ImplicitlyDenied");
  });

  it("account-wide direct: CloudWatch Logs may invoke the processor for any group of the account, never for another account's", () => {
    expect(direct.proof.model.accountSubscriptions.map((p) => p.policyName)).toEqual(["log-monitor-wide-errors"]);
    expect(decided(direct.proof, "logs.amazonaws.com", "lambda:InvokeFunction", "account policy log-monitor-wide-errors delivers any log group")).toBe("Allowed");
    expect(decided(direct.proof, "logs.amazonaws.com", "lambda:InvokeFunction", "account policy: another account's log group")).toBe("ImplicitlyDenied");
  });
});

describe("the scale proof can fail: a broken copy is caught and the broken call named", () => {
  it("without kinesis:PutRecord in the delivery role, it names every delivery into the stream", async () => {
    const broken = await proveBroken(kinesis.synthesized, (app) => {
      expect(removeStatements(app, (s) => hasAction(s, "kinesis:PutRecord"))).toHaveLength(1);
    });
    expect(purposes(broken)).toEqual([
      "kinesis:PutRecord CloudWatch Logs puts /aws/lambda/log-monitor-scale-test-emitter's deliveries into log-monitor-scale-logs",
      "kinesis:PutRecord CloudWatch Logs puts /ecs/payments's deliveries into log-monitor-scale-logs",
      "kinesis:PutRecord CloudWatch Logs puts account policy log-monitor-scale-errors's deliveries into log-monitor-scale-logs",
    ]);
  });

  it("without Kinesis among the key policy's services, it names the data key for puts and the decrypt for reads", async () => {
    const broken = await proveBroken(kinesis.synthesized, (app) => {
      const edited = editStatements(
        app,
        (s) => hasPrincipal(s, (id) => id.endsWith(":root")) && hasCondition(s, "kms:ViaService", (v) => v.startsWith("kinesis.")),
        (s) => {
          for (const condition of s.condition as { variable: string; values: string[] }[]) {
            if (condition.variable === "kms:ViaService") condition.values = condition.values.filter((v) => !v.startsWith("kinesis."));
          }
        },
      );
      expect(edited).toBe(1);
    });
    expect([...new Set(purposes(broken))]).toEqual([
      "kms:Decrypt kinesis uses the key of log-monitor-scale-logs for kinesis:GetRecords",
      "kms:GenerateDataKey kinesis uses the key of log-monitor-scale-logs for kinesis:PutRecord",
    ]);
  });

  it("with the delivery role's trust open to any source account, it reports that another account's CloudWatch Logs may assume it", async () => {
    const broken = await proveBroken(kinesis.synthesized, (app) => {
      const edited = editStatements(
        app,
        (s) => hasAction(s, "sts:AssumeRole") && hasPrincipal(s, (id) => id === "logs.amazonaws.com"),
        (s) => {
          delete s.condition;
        },
      );
      expect(edited).toBe(1);
    });
    expect(purposes(broken)).toEqual(["sts:AssumeRole CloudWatch Logs for another account's log group"]);
  });

  it("without the processor's read statement, it names each read Lambda makes of the stream", async () => {
    const broken = await proveBroken(kinesis.synthesized, (app) => {
      expect(removeStatements(app, (s) => hasAction(s, "kinesis:GetRecords") && s.principals === undefined)).toHaveLength(1);
    });
    expect(purposes(broken)).toEqual(
      ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"].map(
        (action) => `${action} Lambda reads log-monitor-scale-logs for log-monitor-scale-log-processor`,
      ),
    );
  });
});
