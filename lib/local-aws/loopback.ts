import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A local server listening on a free loopback port. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Closes every connection (the SDK keeps them alive, which would hold close() until they time out) and stops. */
  stop(): Promise<void>;
}

/** Starts `server` on 127.0.0.1 on a free port: every local server of the tests, the simulator and the bench. */
export async function listenOnLoopback(server: Server): Promise<LoopbackServer> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error?: Error) => (error ? reject(error) : resolve()));
      }),
  };
}
