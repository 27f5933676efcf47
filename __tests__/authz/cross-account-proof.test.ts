import { OTHER_ACCOUNT } from "../../lib/authz/calls";
import {
  ConfigurationProof,
  CROSS_ACCOUNT_CONFIGURATION,
  CROSS_ACCOUNT_ORGANIZATION_CONFIGURATION,
  describeResult,
  failures,
  proveConfiguration,
} from "../../lib/authz/proof";
import type { SynthesizedApp } from "../../lib/simulate/synthesized-app";
import { proveOnce, ProvenConfiguration } from "./proof-fixture";
import { cloneApp, editStatements, hasAction, hasPrincipal } from "./mutate-app";

// Sources: CloudWatch Logs User Guide, "Cross-account cross-Region subscriptions using Amazon Kinesis Data Streams":
// Step 1 "Create a destination" (trust policy with aws:SourceArn, kinesis:PutRecord, PutDestinationPolicy with the
// sender account), Step 3 "Add/validate IAM permissions for the cross-account destination" (the sender needs an
// identity policy too: cross-account evaluation), and "Step 2: Update the existing destination access policy"
// (aws:PrincipalOrgID) — https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CreateDestination.html,
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Cross-Account-Log_Subscription-Update-policy-Account.html;
// API reference PutDestinationPolicy.
const [listed, organization] = proveOnce(CROSS_ACCOUNT_CONFIGURATION, CROSS_ACCOUNT_ORGANIZATION_CONFIGURATION) as [ProvenConfiguration, ProvenConfiguration];

const decided = (proof: ConfigurationProof, action: string, purpose: string) =>
  proof.results.find((r) => r.call.action === action && r.call.purpose === purpose)?.decision;
const purposes = (proof: ConfigurationProof): string[] => failures(proof).map((result) => `${result.call.action} ${result.call.purpose}`).sort();

/** Rewrites the destination policy's JSON in a copy of the app. */
function editAccessPolicy(app: SynthesizedApp, edit: (policy: { Statement: Record<string, unknown>[] }) => void): void {
  let edited = 0;
  for (const stack of Object.values(app.stacks)) {
    const resources = (stack.json.resource as Record<string, Record<string, Record<string, unknown>>> | undefined)?.aws_cloudwatch_log_destination_policy ?? {};
    for (const resource of Object.values(resources)) {
      const policy = JSON.parse(resource.access_policy as string) as { Statement: Record<string, unknown>[] };
      edit(policy);
      resource.access_policy = JSON.stringify(policy);
      edited++;
    }
  }
  expect(edited).toBe(1);
}

describe("the authorization proof across accounts", () => {
  it.each([
    ["listed accounts", () => listed.proof],
    ["organization", () => organization.proof],
  ])("%s: every required call is Allowed and every forbidden call refused", (_name, proof) => {
    expect(failures(proof()).map(describeResult)).toEqual([]);
  });

  it("listed accounts: each listed account may subscribe, CloudWatch Logs assumes the destination role and puts records; an unlisted account may not", () => {
    const destination = "log-monitor-central-destination";
    for (const account of ["111111111111", "222222222222"]) {
      expect(decided(listed.proof, "logs:PutSubscriptionFilter", `account ${account} subscribes its log groups to ${destination}`)).toBe("Allowed");
      expect(decided(listed.proof, "sts:AssumeRole", `CloudWatch Logs delivers account ${account}'s events to ${destination} with log-monitor-central-logs-receiver-eu-west-1`)).toBe("Allowed");
    }
    expect(decided(listed.proof, "kinesis:PutRecord", `CloudWatch Logs puts ${destination}'s deliveries into log-monitor-central-logs`)).toBe("Allowed");
    expect(decided(listed.proof, "kms:GenerateDataKey", `kinesis uses the key of log-monitor-central-logs for ${destination}'s deliveries`)).toBe("Allowed");
    expect(decided(listed.proof, "logs:PutSubscriptionFilter", `an unlisted account subscribes to ${destination}`)).toBe("ImplicitlyDenied");
    expect(decided(listed.proof, "sts:AssumeRole", `CloudWatch Logs for an unlisted account's log group, to ${destination}`)).toBe("ImplicitlyDenied");
    expect(decided(listed.proof, "sts:AssumeRole", `CloudWatch Logs in another region, to ${destination}`)).toBe("ImplicitlyDenied");
    expect(decided(listed.proof, "kinesis:GetRecords", "the destination role reads the stream")).toBe("ImplicitlyDenied");
  });

  // The request keys the proof gives CloudWatch Logs are the documented ones: aws:SourceArn ("Step 1: Create a
  // destination", https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CreateDestination.html) and, for an
  // organization, aws:SourceOrgID ("Use aws:SourceOrgID to allow any resource from any account within an organization
  // be associated with the cross-service use", CloudWatch Logs User Guide, "Confused deputy prevention",
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Subscriptions-confused-deputy.html); a subscriber's
  // aws:PrincipalOrgID is the global key AWS sets for any principal of an organization (IAM User Guide, "AWS global
  // condition context keys").
  it("organization: a member account may subscribe, an account of another organization may not", () => {
    const destination = "log-monitor-org-destination";
    expect(decided(organization.proof, "logs:PutSubscriptionFilter", `account 111122223333 subscribes its log groups to ${destination}`)).toBe("Allowed");
    expect(decided(organization.proof, "logs:PutSubscriptionFilter", `an account of another organization subscribes to ${destination}`)).toBe("ImplicitlyDenied");
    expect(decided(organization.proof, "sts:AssumeRole", `CloudWatch Logs delivers account 111122223333's events to ${destination} with log-monitor-org-logs-receiver-eu-west-1`)).toBe("Allowed");
    expect(decided(organization.proof, "sts:AssumeRole", `CloudWatch Logs for another organization's log group, to ${destination}`)).toBe("ImplicitlyDenied");
  });
});

describe("the cross-account proof can fail: a broken copy is caught and the broken call named", () => {
  it("with an account removed from the destination policy, it names that account's subscription", async () => {
    const app = cloneApp(listed.synthesized.app);
    editAccessPolicy(app, (policy) => {
      const principal = policy.Statement[0]?.Principal as { AWS: string[] };
      principal.AWS = principal.AWS.filter((account) => account !== "222222222222");
    });
    const broken = await proveConfiguration({ ...listed.synthesized, app });
    expect(purposes(broken)).toEqual(["logs:PutSubscriptionFilter account 222222222222 subscribes its log groups to log-monitor-central-destination"]);
  });

  it("with the destination policy open to every account, it names the unlisted account's subscription", async () => {
    const app = cloneApp(listed.synthesized.app);
    editAccessPolicy(app, (policy) => {
      (policy.Statement[0] as Record<string, unknown>).Principal = { AWS: "*" };
    });
    const broken = await proveConfiguration({ ...listed.synthesized, app });
    expect(purposes(broken)).toEqual([`logs:PutSubscriptionFilter an unlisted account subscribes to log-monitor-central-destination`]);
    expect(OTHER_ACCOUNT).toBe("444455556666");
  });

  it("without the organization condition, it names another organization's subscription", async () => {
    const app = cloneApp(organization.synthesized.app);
    editAccessPolicy(app, (policy) => {
      delete (policy.Statement[0] as Record<string, unknown>).Condition;
    });
    const broken = await proveConfiguration({ ...organization.synthesized, app });
    expect(purposes(broken)).toEqual(["logs:PutSubscriptionFilter an account of another organization subscribes to log-monitor-org-destination"]);
  });

  it("without aws:SourceOrgID in the destination role's trust, it names CloudWatch Logs acting for another organization", async () => {
    const app = cloneApp(organization.synthesized.app);
    const edited = editStatements(
      app,
      (s) => hasAction(s, "sts:AssumeRole") && hasPrincipal(s, (id) => id === "logs.amazonaws.com") && JSON.stringify(s).includes("aws:SourceOrgID"),
      (s) => {
        s.condition = (s.condition as { variable: string }[]).filter((condition) => condition.variable !== "aws:SourceOrgID");
      },
    );
    expect(edited).toBe(1);
    const broken = await proveConfiguration({ ...organization.synthesized, app });
    expect(purposes(broken)).toEqual(["sts:AssumeRole CloudWatch Logs for another organization's log group, to log-monitor-org-destination"]);
  });

  it("with the destination role's trust missing a listed account, it names CloudWatch Logs' delivery for that account", async () => {
    const app = cloneApp(listed.synthesized.app);
    const edited = editStatements(
      app,
      (s) => hasAction(s, "sts:AssumeRole") && hasPrincipal(s, (id) => id === "logs.amazonaws.com") && JSON.stringify(s).includes("111111111111"),
      (s) => {
        for (const condition of s.condition as { variable: string; values: string[] }[]) condition.values = condition.values.filter((v) => !v.includes(":111111111111:"));
      },
    );
    expect(edited).toBe(1);
    const broken = await proveConfiguration({ ...listed.synthesized, app });
    expect(purposes(broken)).toEqual([
      "sts:AssumeRole CloudWatch Logs delivers account 111111111111's events to log-monitor-central-destination with log-monitor-central-logs-receiver-eu-west-1",
    ]);
  });
});
