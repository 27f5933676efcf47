/**
 * Documented quotas that are not in the API models, each with the page that states it. Sizes of policy documents
 * are counted as IAM counts them where IAM's rule applies: "IAM doesn't count white space when calculating the size
 * of a policy against these limits" (IAM User Guide, "IAM and AWS STS quotas").
 */
export const QUOTAS = {
  /** Lambda Developer Guide, "Lambda quotas": "Function resource-based policy: 20 KB". */
  lambdaFunctionPolicyBytes: { limit: 20 * 1024, source: 'Lambda Developer Guide, "Lambda quotas": Function resource-based policy, 20 KB' },
  /** IAM User Guide, "IAM and AWS STS quotas": managed policy size, 6,144 characters, white space excluded. */
  iamManagedPolicyCharacters: { limit: 6144, source: 'IAM User Guide, "IAM and AWS STS quotas": managed policy size 6,144 characters' },
  /** IAM User Guide, "IAM and AWS STS quotas": the inline policies of a role, 10,240 characters in total. */
  iamRoleInlinePoliciesCharacters: { limit: 10240, source: 'IAM User Guide, "IAM and AWS STS quotas": role inline policy size 10,240 characters (aggregate)' },
  /** IAM User Guide, "IAM and AWS STS quotas": role trust policy length, 2,048 characters (raisable to 4,096). */
  iamTrustPolicyCharacters: { limit: 2048, source: 'IAM User Guide, "IAM and AWS STS quotas": role trust policy length 2,048 characters (default)' },
  /** KMS Developer Guide, "Resource quotas": key policy document size, 32 KB (32,768 bytes). */
  kmsKeyPolicyBytes: { limit: 32768, source: 'KMS Developer Guide, "Resource quotas": key policy document size 32 KB' },
  /** CloudWatch Logs API Reference, PutDestinationPolicy, accessPolicy: "up to 5120 bytes". */
  logsDestinationPolicyBytes: { limit: 5120, source: "CloudWatch Logs API Reference, PutDestinationPolicy, accessPolicy: up to 5120 bytes" },
  /** botocore logs/2014-03-28 service-2.json, StartQuery queryString: max 10,000 (a dashboard log widget's query). */
  insightsQueryCharacters: { limit: 10000, source: "botocore 1.43.67 logs/2014-03-28 service-2.json, shape QueryString (StartQuery)" },
  /** Amazon SNS API Reference, Publish, Subject: "must be ASCII text ... less than 100 characters". */
  snsSubjectCharacters: { limit: 99, source: "Amazon SNS API Reference, Publish, Subject: fewer than 100 characters" },
  /** Amazon SNS API Reference, Publish, Message: at most 256 KB (262,144 bytes), UTF-8. */
  snsMessageBytes: { limit: 262144, source: "Amazon SNS API Reference, Publish, Message: 256 KB" },
} as const;
