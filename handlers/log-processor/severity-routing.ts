import { Severity } from "./severity";

/** The severities that page: published to the critical topic as well as the alert topic. */
export const PAGE_SEVERITIES: readonly Severity[] = ["FATAL", "CRITICAL"];

/** Whether an alert of this severity is a page (goes to `:critical` subscribers too). */
export function isPage(severity: Severity): boolean {
  return PAGE_SEVERITIES.includes(severity);
}
