import { Construct } from "constructs";
import type { TerraformResource } from "cdktf";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { FlatConstruct } from "./flat-construct";

/** Props of {@link MonthlyBudget}. */
export interface MonthlyBudgetProps {
  /** The budget's name; budget names are unique per account, so it carries the environment and region. */
  readonly budgetName: string;
  /** The monthly limit, in US dollars (`LOG_MONITOR_MONTHLY_BUDGET_USD`). */
  readonly limitUsd: number;
  /** ARN of the topic notified. */
  readonly topicArn: string;
  /** Budgets checks at creation that it may publish to the topic: the topic's policy must exist first. */
  readonly topicPolicy: TerraformResource;
  /** Addresses notified by email as well (at most 10). @default none */
  readonly emails?: readonly string[];
}

/**
 * The monthly cost budget (`monthly-cost-budget`): notifies at 80% and 100% of the actual cost, and at 100% of the
 * forecast. Created in the parent's scope (see {@link FlatConstruct}).
 */
export class MonthlyBudget extends FlatConstruct {
  constructor(scope: Construct, id: string, props: MonthlyBudgetProps) {
    super(scope, id);
    const emails = props.emails ?? [];
    const notify = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) => ({
      comparisonOperator: "GREATER_THAN",
      notificationType,
      threshold,
      thresholdType: "PERCENTAGE",
      subscriberSnsTopicArns: [props.topicArn],
      ...(emails.length === 0 ? {} : { subscriberEmailAddresses: [...emails] }),
    });
    new BudgetsBudget(this.resourceScope, "monthly-cost-budget", {
      name: props.budgetName,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: props.limitUsd.toFixed(2),
      limitUnit: "USD",
      notification: [notify("ACTUAL", 80), notify("ACTUAL", 100), notify("FORECASTED", 100)],
      dependsOn: [props.topicPolicy],
    });
  }
}
