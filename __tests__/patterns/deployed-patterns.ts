import { matchesFilterPattern } from "../../lib/filter-pattern";
import { synthStacks, TerraformJson } from "../stacks/synth-helpers";

/** A filter pattern as a stack deploys it, with the resource it comes from (for failure messages). */
export interface DeployedPattern {
  /** `<stack>/<resource type>.<name>`. */
  readonly address: string;
  /** The pattern exactly as synthesized. */
  readonly pattern: string;
}

/** The patterns that decide what reaches the alarm and the processor, read from the synthesized stacks. */
export interface DeployedPatterns {
  /**
   * Every metric filter on the test emitter's log group that publishes to the metric the error alarm watches.
   * An event is counted when at least one of them matches it.
   */
  readonly errorMetricFilters: readonly DeployedPattern[];
  /** Every subscription filter on the test emitter's log group. */
  readonly subscriptionFilters: readonly DeployedPattern[];
}

/** A block that CDKTF writes as an object, or as a one-element list for some nested blocks. */
function single(value: TerraformJson | TerraformJson[] | undefined): TerraformJson | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Synthesizes the whole app (as `cdktf synth` does) and reads the deployed patterns from its JSON: nothing is
 * copied from `config/filter-patterns.ts`, so a test fails when what would be deployed is wrong.
 */
export function readDeployedPatterns(): DeployedPatterns {
  const synthesized = synthStacks();
  const alerting: TerraformJson = JSON.parse(synthesized.alerting);
  const processing: TerraformJson = JSON.parse(synthesized.processing);

  const emitter = alerting.resource?.aws_lambda_function?.["test-emitter"];
  const logGroup: string | undefined = single(emitter?.logging_config)?.log_group;
  if (logGroup === undefined) throw new Error("alerting has no aws_lambda_function.test-emitter with a logging_config.log_group");
  const alarm = alerting.resource?.aws_cloudwatch_metric_alarm?.["error-alarm"];
  if (alarm === undefined) throw new Error("alerting has no aws_cloudwatch_metric_alarm.error-alarm");

  const errorMetricFilters = Object.entries<TerraformJson>(alerting.resource?.aws_cloudwatch_log_metric_filter ?? {})
    .filter(([, filter]) => {
      const metric = single(filter.metric_transformation);
      return filter.log_group_name === logGroup && metric?.namespace === alarm.namespace && metric?.name === alarm.metric_name;
    })
    .map(([name, filter]) => ({ address: `alerting/aws_cloudwatch_log_metric_filter.${name}`, pattern: String(filter.pattern) }));

  // processing reads the log group's name through a cross-stack reference: an output of alerting whose value is
  // the same expression the emitter's logging_config names.
  const outputsNamingTheGroup = Object.entries<TerraformJson>(alerting.output ?? {})
    .filter(([, output]) => output.value === logGroup)
    .map(([name]) => name);
  const readsTheGroup = (value: unknown): boolean =>
    typeof value === "string" &&
    outputsNamingTheGroup.some((output) => value === `\${data.terraform_remote_state.cross-stack-reference-input-alerting.outputs.${output}}`);
  const subscriptionFilters = Object.entries<TerraformJson>(processing.resource?.aws_cloudwatch_log_subscription_filter ?? {})
    .filter(([, filter]) => readsTheGroup(filter.log_group_name))
    .map(([name, filter]) => ({
      address: `processing/aws_cloudwatch_log_subscription_filter.${name}`,
      pattern: String(filter.filter_pattern),
    }));

  return { errorMetricFilters, subscriptionFilters };
}

/** A log event message with a name saying what it is. */
export interface NamedLine {
  readonly name: string;
  readonly message: string;
}

/** The addresses of the filters that match a line. */
export function matchingFilters(filters: readonly DeployedPattern[], message: string): string[] {
  return filters.filter((filter) => matchesFilterPattern(filter.pattern, message)).map((filter) => filter.address);
}

/** The lines no filter matches (what a set of filters would miss), by name, with the message. */
export function linesMatchedByNone(filters: readonly DeployedPattern[], lines: readonly NamedLine[]): NamedLine[] {
  return lines.filter((line) => matchingFilters(filters, line.message).length === 0);
}

/** The lines some filter matches (what a set of filters would wrongly pass), with the filters that match. */
export function linesMatchedByAny(filters: readonly DeployedPattern[], lines: readonly NamedLine[]): (NamedLine & { filters: string[] })[] {
  return lines
    .map((line) => ({ ...line, filters: matchingFilters(filters, line.message) }))
    .filter((line) => line.filters.length > 0);
}
