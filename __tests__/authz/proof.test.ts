import { renderMatrix, reportProofs } from "../../lib/authz/matrix";
import {
  ConfigurationProof,
  describeResult,
  failures,
  PRODUCTION_LIKE_CONFIGURATION,
  DEFAULT_CONFIGURATION,
  HANDLER_AWS_CALLS,
  proveConfiguration,
} from "../../lib/authz/proof";
import { CallPlanError, planCalls } from "../../lib/authz/calls";
import { EXAMPLE_PERMISSIONS_BOUNDARY } from "../../lib/authz/example-boundary";
import { resolveArgument, resourcesOfType } from "../../lib/simulate/terraform-references";
import { proveBroken, proveOnce, ProvenConfiguration, synthesizeAlone } from "./proof-fixture";
import { editStatements, hasAction, hasCondition, hasPrincipal, removeResources, removeStatements } from "./mutate-app";

const [defaultConfig, productionConfig] = proveOnce(DEFAULT_CONFIGURATION, PRODUCTION_LIKE_CONFIGURATION) as [ProvenConfiguration, ProvenConfiguration];

const purposes = (proof: ConfigurationProof): string[] => failures(proof).map((result) => `${result.call.action} ${result.call.purpose}`).sort();

describe("the authorization proof over the synthesized stacks", () => {
  it.each([
    ["default", () => defaultConfig.proof],
    ["production-like", () => productionConfig.proof],
  ])("%s: every required call is Allowed and every forbidden call refused", (_name, proof) => {
    const failed = failures(proof()).map(describeResult);
    expect(failed).toEqual([]);
    expect(proof().results.filter((result) => result.call.expected === "Allowed").length).toBeGreaterThan(20);
    expect(proof().results.filter((result) => result.call.expected === "Denied").length).toBeGreaterThan(15);
  });

  it.each([
    ["default", () => defaultConfig.proof],
    ["production-like", () => productionConfig.proof],
  ])("%s: covers every subscription, alarm notification, encrypted log group and handler call in the synthesized JSON", (_name, get) => {
    const proof = get();
    const { model, results } = proof;
    const allowed = (principal: string, action: string, purpose: string): boolean =>
      results.some((r) => r.call.principal.principal === principal && r.call.action === action && r.call.purpose === purpose && r.decision === "Allowed");

    for (const subscription of model.subscriptions) {
      expect(allowed("logs.amazonaws.com", "lambda:InvokeFunction", `delivers ${subscription.logGroupName}`)).toBe(true);
    }
    const topicArns = new Set(model.topics.map((topic) => topic.arn));
    const notifying = model.alarms.filter((alarm) => alarm.actionArns.some((arn) => topicArns.has(arn)));
    expect(notifying.length).toBeGreaterThan(0);
    for (const alarm of notifying) {
      expect(allowed("cloudwatch.amazonaws.com", "sns:Publish", `alarm ${alarm.name} notifies`)).toBe(true);
      expect(allowed("cloudwatch.amazonaws.com", "kms:GenerateDataKey", `alarm ${alarm.name} notifies (data key)`)).toBe(true);
    }
    for (const group of model.logGroups.filter((g) => g.keyArn !== undefined)) {
      expect(allowed(`logs.${model.region}.amazonaws.com`, "kms:GenerateDataKey", `encrypts ${group.name}`)).toBe(true);
    }
    for (const table of model.tables) {
      // Issue 9: DynamoDB calls KMS with the processor's permission on every write to a table with a customer key.
      expect(results.some((r) => r.call.action === "kms:Decrypt" && r.call.purpose.startsWith(`dynamodb uses the key of ${table.name} `) && r.decision === "Allowed")).toBe(true);
    }
    for (const fn of model.functions) {
      expect(results.some((r) => r.call.principal.principal === "lambda.amazonaws.com" && r.call.action === "sts:AssumeRole" && r.call.resource === fn.roleArn && r.decision === "Allowed")).toBe(true);
    }
    for (const budget of model.budgets) expect(allowed("budgets.amazonaws.com", "sns:Publish", `budget ${budget.name} notifies`)).toBe(true);
  });

  it("production-like: evaluates the boundary and the user's key as assumed, and says so", () => {
    expect(productionConfig.proof.model.functions.every((fn) => fn.permissionsBoundaryArn === PRODUCTION_LIKE_CONFIGURATION.env.LOG_MONITOR_PERMISSIONS_BOUNDARY)).toBe(true);
    expect(productionConfig.proof.model.keys.size).toBe(0);
    expect(productionConfig.proof.assumptions).toHaveLength(2);
    const roleCall = productionConfig.proof.results.find((r) => r.call.action === "dynamodb:BatchWriteItem" && r.call.expected === "Allowed");
    expect(roleCall?.decidingStatements).toContain("permissions boundary: WorkloadServices");
    expect(productionConfig.proof.model.budgets).toHaveLength(1);
    expect(productionConfig.proof.model.subscriptions.map((s) => s.logGroupName)).toEqual(expect.arrayContaining(["/aws/lambda/orders", "/ecs/payments"]));
  });

  it("prints a matrix row per call with principal, action, resource, decision and deciding statement", () => {
    const matrix = renderMatrix(productionConfig.proof);
    const lines = matrix.split("\n");
    expect(lines[0]).toMatch(/^== production-like \(environment prod, eu-west-1, account 123456789012\): \d+ calls, all as expected$/);
    expect(matrix).toContain("assumed: arn:aws:iam::123456789012:policy/workload-boundary");
    expect(lines.find((line) => line.startsWith("principal"))).toMatch(/principal\s+action\s+resource\s+why\s+expected\s+decision\s+deciding statement/);
    expect(lines.filter((line) => / (ok|FAIL)$/.test(line))).toHaveLength(productionConfig.proof.results.length);
    expect(matrix).toMatch(/logs\.amazonaws\.com\s+lambda:InvokeFunction\s+lambda::function:\S+\s+delivers \/ecs\/payments\s+Allowed\s+Allowed\s+function policy: \S+/);
  });
});

/** Whether a synthesized statement is the alert topic's (the critical topic has the same statements). */
function onAlertTopic(statement: Record<string, unknown>): boolean {
  return Array.isArray(statement.resources) && statement.resources.includes("${aws_sns_topic.alert-topic.arn}");
}

describe("what the proof plans from the declarations", () => {
  it("refuses a function whose handler declares nothing, naming it", () => {
    const { "test-emitter": _emitter, ...withoutEmitter } = HANDLER_AWS_CALLS;
    const emitter = defaultConfig.proof.model.functions.find((fn) => fn.handler === "test-emitter");
    expect(() => planCalls(defaultConfig.proof.model, withoutEmitter, { permissionsBoundary: EXAMPLE_PERMISSIONS_BOUNDARY, userKeyPolicy: undefined })).toThrow(
      new CallPlanError(`function ${emitter?.name} (handler test-emitter) has no declaration of its AWS calls`),
    );
  });

  it("with real-time alerts off, expects the processor to be refused the topic, and the stack refuses it", async () => {
    const synthesized = await synthesizeAlone({ name: "no-realtime-alerts", env: { LOG_MONITOR_REALTIME_ALERTS: "false" } });
    const proof = await proveConfiguration(synthesized);
    expect(failures(proof).map(describeResult)).toEqual([]);
    const processor = proof.model.functions.find((fn) => fn.handler === "log-processor");
    const publish = proof.results.filter((r) => r.call.principal.principal === processor?.sessionArn && r.call.action === "sns:Publish");
    // Refused both topics: the alert topic and the critical topic.
    expect(publish.map((r) => [r.call.expected, r.decision])).toEqual([
      ["Denied", "ImplicitlyDenied"],
      ["Denied", "ImplicitlyDenied"],
    ]);
    // The processor updates no failure state with real-time alerts off (the widget and the operator do, by people).
    expect(proof.results.some((r) => r.call.principal.principal === processor?.sessionArn && r.call.action === "dynamodb:UpdateItem")).toBe(false);
  });
});

describe("a configuration that cannot be synthesized", () => {
  it("fails the proof with main.ts's message naming the variable", async () => {
    await expect(synthesizeAlone({ name: "invalid", env: { LOG_MONITOR_ENV: "Prod!" } })).rejects.toThrow(
      /main\.ts exited with status 2:[\s\S]*LOG_MONITOR_ENV/,
    );
  });
});

describe("the proof can fail: a broken copy of the synthesized JSON is caught, and the broken call named", () => {
  it("without the processor's KMS statement for DynamoDB, it names each table write that breaks", async () => {
    const broken = await proveBroken(defaultConfig.synthesized, (app) => {
      const removed = removeStatements(app, (s) => s.principals === undefined && s.sid === "UseKeyForEncryptedTables" && hasCondition(s, "kms:ViaService", (v) => v.startsWith("dynamodb.")));
      expect(removed).toEqual(["processing/log-processor-policy#UseKeyForEncryptedTables"]);
    });
    const processor = defaultConfig.proof.model.functions.find((fn) => fn.handler === "log-processor");
    const expected = defaultConfig.proof.results
      .filter((r) => r.call.principal.principal === processor?.sessionArn && r.call.action === "kms:Decrypt" && r.call.purpose.startsWith("dynamodb uses the key of"))
      .map((r) => `kms:Decrypt ${r.call.purpose}`)
      .sort();
    expect(expected.length).toBeGreaterThanOrEqual(defaultConfig.proof.model.tables.length);
    expect(purposes(broken)).toEqual(expected);
    expect(failures(broken).every((r) => r.decision === "ImplicitlyDenied" && r.decidingStatements === "no allow in identity policy")).toBe(true);

    // `npm run authz` exits 1 and names the broken call on stderr.
    const out: string[] = [];
    const err: string[] = [];
    expect(reportProofs([broken], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) })).toBe(1);
    const table = defaultConfig.proof.model.tables[0]?.name ?? "";
    expect(err.join("")).toContain(`default: role ${defaultConfig.proof.model.functions.find((fn) => fn.handler === "log-processor")?.roleName} kms:Decrypt on `);
    expect(err.join("")).toContain(`[dynamodb uses the key of ${table} for `);
    expect(out.join("")).toMatch(/NOT as expected/);
  });

  it("exits 0 with the all-clear line when every call is as expected", () => {
    const out: string[] = [];
    expect(reportProofs([defaultConfig.proof, productionConfig.proof], { stdout: (t) => out.push(t), stderr: () => undefined })).toBe(0);
    expect(out.join("")).toContain("authz: every required call is allowed and every forbidden call refused, in every configuration.");
  });

  it("without the topic policy's statement for CloudWatch alarms, it names every alarm that can no longer notify", async () => {
    const broken = await proveBroken(productionConfig.synthesized, (app) => {
      const removed = removeStatements(
        app,
        (s) => hasAction(s, "sns:Publish") && hasPrincipal(s, (id) => id === "cloudwatch.amazonaws.com") && onAlertTopic(s),
      );
      expect(removed).toHaveLength(1);
    });
    const topicArns = new Set(productionConfig.proof.model.topics.map((topic) => topic.arn));
    const alarms = productionConfig.proof.model.alarms.filter((alarm) => alarm.actionArns.some((arn) => topicArns.has(arn)));
    expect(purposes(broken)).toEqual(alarms.map((alarm) => `sns:Publish alarm ${alarm.name} notifies`).sort());
  });

  it("without one Lambda permission, it names the log group whose deliveries break", async () => {
    let groupName = "";
    const broken = await proveBroken(productionConfig.synthesized, (app) => {
      const permission = resourcesOfType(app, "aws_lambda_permission").find((p) => p.config.principal === "logs.amazonaws.com");
      if (permission === undefined) throw new Error("no permission for CloudWatch Logs");
      groupName = resolveArgument(app, permission, "source_arn").replace(/^arn:[^:]*:logs:[^:]*:[^:]*:log-group:/, "").replace(/:\*$/, "");
      expect(removeResources(app, "aws_lambda_permission", (_config, stackId, name) => stackId === permission.stackId && name === permission.name)).toHaveLength(1);
    });
    expect(groupName).not.toBe("");
    expect(purposes(broken)).toEqual([`lambda:InvokeFunction delivers ${groupName}`]);
  });

  it("without the key policy's statement for the account's principals, it names what SQS and SNS can no longer encrypt", async () => {
    const broken = await proveBroken(defaultConfig.synthesized, (app) => {
      const removed = removeStatements(app, (s) => hasPrincipal(s, (id) => id.endsWith(":root")) && hasCondition(s, "kms:ViaService", () => true));
      expect(removed).toHaveLength(1);
    });
    const names = purposes(broken);
    expect(names).toContain(`kms:GenerateDataKey sqs uses the key of ${defaultConfig.proof.model.queues[0]?.name} for sqs:SendMessage`);
    expect(names.filter((name) => name.includes("dynamodb uses the key of")).length).toBeGreaterThan(0);
  });

  it("with a prefix pattern in the topic policy, it reports that an environment named like this one may publish", async () => {
    const { environment } = productionConfig.proof.model;
    const broken = await proveBroken(productionConfig.synthesized, (app) => {
      const edited = editStatements(
        app,
        (s) => hasAction(s, "sns:Publish") && hasPrincipal(s, (id) => id === "cloudwatch.amazonaws.com") && onAlertTopic(s),
        (s) => {
          for (const condition of s.condition as { variable: string; values: string[] }[]) {
            if (condition.variable === "aws:SourceArn") condition.values = condition.values.map((v) => v.replace(/alarm:.*$/, `alarm:log-monitor-${environment}-*`));
          }
        },
      );
      expect(edited).toBe(1);
    });
    expect(purposes(broken)).toEqual(["sns:Publish another environment's alarm"]);
  });

  it("without the trust policy's statement, it names the function Lambda can no longer run", async () => {
    const broken = await proveBroken(defaultConfig.synthesized, (app) => {
      const removed = removeStatements(app, (s) => hasAction(s, "sts:AssumeRole") && hasPrincipal(s, (id) => id === "lambda.amazonaws.com"));
      expect(removed).toHaveLength(defaultConfig.proof.model.functions.length);
    });
    expect(purposes(broken)).toEqual(defaultConfig.proof.model.functions.map((fn) => `sts:AssumeRole Lambda runs ${fn.name} with its role`).sort());
  });

  it("with a permissions boundary that does not allow sqs:SendMessage, it names the parked events that break", async () => {
    const boundary = {
      ...EXAMPLE_PERMISSIONS_BOUNDARY,
      Statement: EXAMPLE_PERMISSIONS_BOUNDARY.Statement.map((statement) =>
        Array.isArray(statement.Action) ? { ...statement, Action: statement.Action.filter((action: string) => action !== "sqs:SendMessage") } : statement,
      ),
    };
    const broken = await proveConfiguration(productionConfig.synthesized, boundary);
    const processor = productionConfig.proof.model.functions.find((fn) => fn.deadLetterArn !== undefined);
    expect(purposes(broken)).toEqual([`sqs:SendMessage Lambda parks ${processor?.name}'s failed events with its role`]);
    expect(failures(broken)[0]?.decidingStatements).toBe("no allow in permissions boundary");
    expect(broken.assumptions.join("\n")).toContain("assumed to be the document given");
  });

  it("without the topic's TLS-only statement, it reports the notification sent without TLS", async () => {
    const broken = await proveBroken(defaultConfig.synthesized, (app) => {
      expect(removeStatements(app, (s) => s.effect === "Deny" && hasAction(s, "sns:Publish") && onAlertTopic(s))).toHaveLength(1);
    });
    expect(purposes(broken)).toEqual(["sns:Publish a notification sent without TLS"]);
  });

  it("with a channel policy widened to every CloudWatch action, it reports what a chat channel could then do", async () => {
    const broken = await proveBroken(productionConfig.synthesized, (app) => {
      const edited = editStatements(app, (s) => s.sid === "DescribeThisEnvironmentsAlarms", (s) => {
        s.actions = ["cloudwatch:*"];
      });
      expect(edited).toBe(1);
    });
    const channels = productionConfig.proof.model.chatChannels ?? [];
    expect(channels.length).toBe(3);
    expect(purposes(broken)).toEqual(channels.map(() => "cloudwatch:DeleteAlarms deleting an alarm from a chat channel"));
  });

  it("with the triage widget's table grant widened to every table, it names what the widget could then read", async () => {
    const broken = await proveBroken(defaultConfig.synthesized, (app) => {
      expect(editStatements(app, (s) => s.sid === "TriageFailures", (s) => (s.resources = ["*"]))).toBe(1);
    });
    expect(purposes(broken)).toEqual(["dynamodb:Scan another environment's table", "dynamodb:Scan triage-widget reads no item of log-monitor-dev-incidents"]);
  });

  it("with the triage widget allowed every DynamoDB action on its table, it names the whole-item writes it must not make", async () => {
    const broken = await proveBroken(defaultConfig.synthesized, (app) => {
      expect(editStatements(app, (s) => s.sid === "TriageFailures", (s) => (s.actions = ["dynamodb:*"]))).toBe(1);
    });
    expect(purposes(broken)).toEqual([
      "dynamodb:DeleteItem triage-widget does not delete items of log-monitor-dev-alert-suppression",
      "dynamodb:PutItem triage-widget does not replace items of log-monitor-dev-alert-suppression",
    ]);
  });

  it("with the scheduler role allowed to invoke any function, it names each function the schedule could run", async () => {
    const broken = await proveBroken(productionConfig.synthesized, (app) => {
      expect(editStatements(app, (s) => s.sid === "InvokeSweeper", (s) => (s.resources = ["*"]))).toBe(1);
    });
    const others = productionConfig.proof.model.functions.filter((fn) => !fn.name.endsWith("-quiet-notices"));
    expect(purposes(broken)).toEqual(others.map((fn) => `lambda:InvokeFunction schedule log-monitor-prod-quiet-notices may not run ${fn.name}`).sort());
  });
});
