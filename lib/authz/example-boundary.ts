import type { PolicyDocument } from "./policy-documents";

/**
 * The permissions boundary the proof assumes when `LOG_MONITOR_PERMISSIONS_BOUNDARY` is set: its document lives in
 * the user's account, not in the synthesized JSON. It is the kind of boundary an organisation sets for workload
 * roles: it allows the services the project's functions use (with the actions they need) and denies IAM,
 * Organizations and STS role chaining outright. A boundary that allows less denies the calls the matrix lists as
 * required; check yours against that list.
 */
export const EXAMPLE_PERMISSIONS_BOUNDARY: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "WorkloadServices",
      Effect: "Allow",
      Action: [
        "dynamodb:BatchGetItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "dynamodb:UpdateItem",
        "cloudwatch:DescribeAlarms",
        "lambda:InvokeFunction",
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey*",
        "kms:ReEncrypt*",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "sns:Publish",
        "sqs:SendMessage",
        "xray:PutTelemetryRecords",
        "xray:PutTraceSegments",
      ],
      Resource: "*",
    },
    {
      Sid: "NoIdentityOrOrganizationChanges",
      Effect: "Deny",
      Action: ["iam:*", "organizations:*", "sts:AssumeRole"],
      Resource: "*",
    },
  ],
};
