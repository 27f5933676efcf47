/** Placeholder until the release module lands (wt-release). */
export function releaseOrder(release: string): number | undefined {
  return /^\d{1,15}$/.test(release) ? Number(release) : undefined;
}
