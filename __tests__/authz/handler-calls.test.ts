import * as fs from "node:fs";
import * as path from "node:path";
import { HANDLER_AWS_CALLS } from "../../lib/authz/proof";
import { SdkScanError, sdkCallsInSource, sdkCallsOfHandler } from "../../lib/authz/sdk-calls";

const ROOT = path.resolve(__dirname, "../..");
const HANDLERS = path.join(ROOT, "handlers");
const handlerNames = fs
  .readdirSync(HANDLERS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe("each handler declares exactly the AWS calls its code makes", () => {
  it("finds every handler folder and a declaration for each", () => {
    // Assess: a new handler without a declaration fails here, before the proof does.
    expect(handlerNames).toEqual(Object.keys(HANDLER_AWS_CALLS).sort());
    for (const name of handlerNames) expect(fs.existsSync(path.join(HANDLERS, name, "aws-calls.ts"))).toBe(true);
  });

  it.each(handlerNames)("%s: no SDK call in its bundle is missing from its declaration, and none is declared in vain", (name) => {
    // Prepare
    const declared = new Set((HANDLER_AWS_CALLS[name] ?? []).map((call) => call.action));

    // Act
    const made = sdkCallsOfHandler(path.join(HANDLERS, name, "index.ts"), ROOT);

    // Assess: name the line of an undeclared call, and the declared action no code makes (an unneeded grant).
    const undeclared = made.filter((call) => !declared.has(call.action)).map((call) => `${call.action} at ${call.location}`);
    expect(undeclared).toEqual([]);
    const unused = [...declared].filter((action) => !made.some((call) => call.action === action));
    expect(unused).toEqual([]);
  });

  it("keeps the declarations free of SDK imports (the stacks import them)", () => {
    for (const file of [path.join(HANDLERS, "aws-call.ts"), ...handlerNames.map((name) => path.join(HANDLERS, name, "aws-calls.ts"))]) {
      const source = fs.readFileSync(file, "utf8");
      expect(source).not.toMatch(/@aws-sdk\//);
      for (const match of source.matchAll(/from\s+["'](\.{1,2}\/[^"']+)["']/g)) {
        const imported = fs.readFileSync(`${path.resolve(path.dirname(file), match[1] ?? "")}.ts`, "utf8");
        expect(imported).not.toMatch(/@aws-sdk\//);
      }
    }
  });
});

describe("sdkCallsInSource", () => {
  it("maps client commands and document-client commands to IAM actions, with their line", () => {
    const source = [
      'import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";',
      'import { PutCommand as Put } from "@aws-sdk/lib-dynamodb";',
      'import { SendMessageCommand } from "@aws-sdk/client-sqs";',
      "await client.send(new GetItemCommand({}));",
      "await doc.send(new Put({}));",
      "await sqs.send(new SendMessageCommand({}));",
    ].join("\n");
    expect(sdkCallsInSource(source, "x.ts")).toEqual([
      { action: "dynamodb:GetItem", location: "x.ts:4" },
      { action: "dynamodb:PutItem", location: "x.ts:5" },
      { action: "sqs:SendMessage", location: "x.ts:6" },
    ]);
  });

  it("ignores type-only imports of command types", () => {
    const source = 'import type { BatchWriteItemCommandOutput } from "@aws-sdk/client-dynamodb";\nconst x: BatchWriteItemCommandOutput | undefined = undefined;';
    expect(sdkCallsInSource(source, "x.ts")).toEqual([]);
  });

  it("refuses what it cannot read: a namespace import, an unknown client, a transaction", () => {
    expect(() => sdkCallsInSource('import * as ddb from "@aws-sdk/client-dynamodb";', "a.ts")).toThrow(SdkScanError);
    expect(() => sdkCallsInSource('import { ListBucketsCommand } from "@aws-sdk/client-unknown";', "b.ts")).toThrow(
      "b.ts: @aws-sdk/client-unknown is not a client the scanner knows; add its IAM prefix to CLIENT_SERVICE_PREFIX",
    );
    // IAM authorizes TransactWriteItems item by item (DynamoDB Developer Guide, "Using IAM with DynamoDB transactions").
    expect(() => sdkCallsInSource('import { TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";', "c.ts")).toThrow(SdkScanError);
    expect(() => sdkCallsInSource("new MysteryCommand({});", "d.ts")).toThrow("d.ts:1: new MysteryCommand( is not a command imported from an @aws-sdk package");
  });
});
