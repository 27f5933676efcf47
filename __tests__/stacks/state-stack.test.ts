import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { synthStacks, testConfig } from "./synth-helpers";

describe("state stack", () => {
  const state = synthStacks().state;
  const json = JSON.parse(state);

  it("creates a bucket named after the project, account and region", () => {
    expect(state).toHaveResourceWithProperties(S3Bucket, {
      bucket: "log-monitor-tfstate-${data.aws_caller_identity.current-account.account_id}-eu-west-1",
    });
  });

  it("versions the bucket, expires old versions after 90 days and the lock files' delete markers, and blocks all public access", () => {
    expect(state).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
    expect(state).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(state).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrent_version_expiration: [{ noncurrent_days: 90 }],
          // S3 User Guide, "Lifecycle configuration elements": ExpiredObjectDeleteMarker removes a delete marker
          // once no noncurrent version is left behind it (each S3-native lock file leaves one per run).
          expiration: [{ expired_object_delete_marker: true }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        },
      ],
    });
  });

  it("denies every request made without TLS", () => {
    const statement = json.data.aws_iam_policy_document["state-bucket-policy-document"].statement[0];
    expect(statement).toMatchObject({
      effect: "Deny",
      resources: ["${aws_s3_bucket.state-bucket.arn}", "${aws_s3_bucket.state-bucket.arn}/*"],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
  });

  it("keeps its own state local, per region and not per environment, since it creates the bucket, and outputs the bucket's name", () => {
    expect(json.terraform.backend).toEqual({ local: { path: "../../../terraform.eu-west-1.state.tfstate" } });
    // Another environment in the same account and region finds the same state, so it does not collide with the bucket.
    expect(JSON.parse(synthStacks(testConfig({ LOG_MONITOR_ENV: "prod" })).state).terraform.backend).toEqual(json.terraform.backend);
    expect(json.output.state_bucket).toEqual({
      value: "${aws_s3_bucket.state-bucket.bucket}",
      description: "Set LOG_MONITOR_STATE_BUCKET to this name, then deploy alerting, processing and dashboard",
    });
  });

  it("names the account in its state file, and lets Terraform use only that account, with LOG_MONITOR_ACCOUNT_ID", () => {
    const pinned = JSON.parse(synthStacks(testConfig({ LOG_MONITOR_ACCOUNT_ID: "111122223333" })).state);
    expect(pinned.terraform.backend).toEqual({ local: { path: "../../../terraform.111122223333.eu-west-1.state.tfstate" } });
    expect(pinned.provider.aws[0].allowed_account_ids).toEqual(["111122223333"]);
    expect(json.provider.aws[0]).not.toHaveProperty("allowed_account_ids");
  });

  it("matches the snapshot", () => {
    expect(state).toMatchSnapshot();
  });
});
