import type { SynthesizedApp } from "../../lib/simulate/synthesized-app";
import { referencedResource, resolveString, resourcesOfType, UnresolvableReferenceError } from "../../lib/simulate/terraform-references";

const OUTPUT = "cross-stack-output-aws_sns_topicalert-topicarn";
const REMOTE = "cross-stack-reference-input-producer";

/** Two stacks wired as CDKTF wires them: an output in the producer, a remote-state read in the consumer. */
const APP: SynthesizedApp = {
  outdir: "/nowhere",
  stacks: {
    producer: {
      id: "producer",
      directory: "/nowhere/stacks/producer",
      json: {
        provider: { aws: [{ region: "eu-west-1" }] },
        resource: { aws_sns_topic: { "alert-topic": { name: "log-monitor-test-alerts" } } },
        output: { [OUTPUT]: { sensitive: true, value: "${aws_sns_topic.alert-topic.arn}" } },
      },
    },
    consumer: {
      id: "consumer",
      directory: "/nowhere/stacks/consumer",
      json: {
        provider: { aws: [{ region: "eu-west-1" }] },
        data: {
          terraform_remote_state: { [REMOTE]: { backend: "local", config: { path: "x" } } },
          aws_caller_identity: { "current-account": {} },
        },
        resource: {
          aws_dynamodb_table: { incidents: { name: "log-monitor-test-incidents" } },
          aws_lambda_function: {
            processor: {
              function_name: "log-monitor-test-log-processor",
              environment: {
                variables: {
                  TOPIC: `\${data.terraform_remote_state.${REMOTE}.outputs.${OUTPUT}}`,
                  TABLE: "${aws_dynamodb_table.incidents.name}",
                },
              },
            },
          },
        },
      },
    },
  },
};

describe("resolveString", () => {
  it("resolves a configured argument to its value", () => {
    expect(resolveString(APP, "consumer", "${aws_dynamodb_table.incidents.name}", "test")).toBe("log-monitor-test-incidents");
  });

  it("gives attributes AWS computes the value they would have in the simulated account", () => {
    expect(resolveString(APP, "consumer", "${aws_lambda_function.processor.arn}", "test")).toBe(
      "arn:aws:lambda:eu-west-1:123456789012:function:log-monitor-test-log-processor",
    );
    expect(resolveString(APP, "consumer", "arn:aws:logs:*:${data.aws_caller_identity.current-account.account_id}:*", "test")).toBe("arn:aws:logs:*:123456789012:*");
  });

  it("follows a cross-stack reference to the producer's output", () => {
    expect(resolveString(APP, "consumer", `\${data.terraform_remote_state.${REMOTE}.outputs.${OUTPUT}}`, "test")).toBe(
      "arn:aws:sns:eu-west-1:123456789012:log-monitor-test-alerts",
    );
  });

  it("names the expression, where it is and why it cannot be resolved", () => {
    // Act
    const attempt = () => resolveString(APP, "consumer", "${aws_dynamodb_table.incidents.stream_arn}", "consumer/aws_lambda_function.processor environment");
    // Assess
    expect(attempt).toThrow(UnresolvableReferenceError);
    expect(attempt).toThrow(
      "cannot resolve ${aws_dynamodb_table.incidents.stream_arn} in consumer/aws_lambda_function.processor environment: the simulation does not know how AWS computes aws_dynamodb_table.stream_arn",
    );
  });
});

describe("referencedResource", () => {
  it("finds the resource a whole-value reference points at, across stacks", () => {
    // Act
    const target = referencedResource(APP, "consumer", `\${data.terraform_remote_state.${REMOTE}.outputs.${OUTPUT}}`);
    // Assess
    expect({ address: target?.resource.address, attribute: target?.attribute }).toEqual({ address: "producer/aws_sns_topic.alert-topic", attribute: "arn" });
  });

  it("is undefined for a literal or an embedded reference", () => {
    expect(referencedResource(APP, "consumer", "plain")).toBeUndefined();
    expect(referencedResource(APP, "consumer", "${aws_dynamodb_table.incidents.name}-suffix")).toBeUndefined();
  });
});

describe("resourcesOfType", () => {
  it("lists a type across stacks with addresses", () => {
    expect(resourcesOfType(APP, "aws_lambda_function").map((resource) => resource.address)).toEqual(["consumer/aws_lambda_function.processor"]);
  });
});
