import { MonitorConfig } from "./config";

/** The project's name: the first part of every resource name, tag and state key. */
export const PROJECT_NAME = "log-monitor";

/**
 * The name of one of the environment's resources, e.g. `log-monitor-dev-incidents`.
 * Every name carries the environment so that two environments can live in one account.
 */
export function resourceName(config: Pick<MonitorConfig, "environment">, suffix: string): string {
  return `${PROJECT_NAME}-${config.environment}-${suffix}`;
}

/** The S3 key of a stack's state: `log-monitor/<env>/<stack>.tfstate`. */
export function stateKey(config: Pick<MonitorConfig, "environment">, stackId: string): string {
  return `${PROJECT_NAME}/${config.environment}/${stackId}.tfstate`;
}

/**
 * The construct id of a monitored log group's resources, derived from its name (`/aws/lambda/orders` ->
 * `aws-lambda-orders`), never from its position in the list: adding or removing a group then leaves the
 * other groups' Terraform addresses, and so their resources, untouched.
 */
export function logGroupId(logGroupName: string): string {
  return logGroupName
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}
