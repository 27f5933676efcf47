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
