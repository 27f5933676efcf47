/** The one fault-injecting proxy (lib/local-aws/fault-proxy.ts), for the tests that import it from here. */
export type { FaultAction, FaultProxy, FaultRule, ProxiedRequest } from "../../lib/local-aws/fault-proxy";
export { startFaultProxy } from "../../lib/local-aws/fault-proxy";
