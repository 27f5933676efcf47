import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA as S3BucketVersioning } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { PROJECT_NAME } from "../config/naming";
import { LogMonitorStack, LogMonitorStackProps } from "./log-monitor-stack";

/** Props of {@link StateStack}. */
export type StateStackProps = LogMonitorStackProps;

/** Days an overwritten state version is kept, so that a bad apply can be rolled back by hand. */
const NONCURRENT_STATE_RETENTION_DAYS = 90;

/**
 * Stack `state`: the S3 bucket the other stacks keep their state in, made once per account and region
 * with `cdktf deploy state` (its own state stays local: it cannot live in the bucket it creates).
 * Versioned, encrypted, private, TLS-only, with old versions and the lock files' delete markers expiring.
 * Its local state file is named by region (and account, with LOG_MONITOR_ACCOUNT_ID), never by environment: the
 * bucket is one per account and region, whichever environment deploys it.
 */
export class StateStack extends LogMonitorStack {
  /** Name of the state bucket (set LOG_MONITOR_STATE_BUCKET to it). */
  readonly bucketName: string;

  constructor(scope: Construct, id: string, props: StateStackProps) {
    super(scope, id, props, { localStateOnly: true });
    const caller = new DataAwsCallerIdentity(this, "current-account");

    const bucket = new S3Bucket(this, "state-bucket", {
      // Bucket names are global: the account id and region make this one unique, and one bucket serves
      // every environment (their state keys differ).
      bucket: `${PROJECT_NAME}-tfstate-${caller.accountId}-${props.config.region}`,
    });

    new S3BucketVersioning(this, "state-bucket-versioning", {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfiguration(this, "state-bucket-encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }],
    });
    new S3BucketPublicAccessBlock(this, "state-bucket-public-access-block", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "state-bucket-ownership", {
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketLifecycleConfiguration(this, "state-bucket-lifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: NONCURRENT_STATE_RETENTION_DAYS }],
          // S3-native locking writes and deletes a `<key>.tflock` object on every run; in a versioned bucket each
          // delete leaves a delete marker, which becomes an expired object delete marker once its noncurrent
          // versions expire above. Without this, those markers stay forever (S3 User Guide, "Lifecycle
          // configuration elements": ExpiredObjectDeleteMarker).
          expiration: [{ expiredObjectDeleteMarker: true }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });

    const policy = new DataAwsIamPolicyDocument(this, "state-bucket-policy-document", {
      statement: [
        {
          sid: "DenyAccessWithoutTls",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: [bucket.arn, `${bucket.arn}/*`],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new S3BucketPolicy(this, "state-bucket-policy", { bucket: bucket.id, policy: policy.json });

    new TerraformOutput(this, "state_bucket", {
      value: bucket.bucket,
      description: "Set LOG_MONITOR_STATE_BUCKET to this name, then deploy alerting, processing and dashboard",
    });
    this.bucketName = bucket.bucket;
  }
}
