// Starts fauxqs (SNS, SQS and S3 over their real APIs; npm, MIT) on a free loopback port in its own process and prints
// {"port":N} once it listens. fauxqs is an ES module that needs Node.js >= 22.5; a child process keeps it out of
// jest's module system. Stops on SIGTERM or when its parent's stdin closes.
import { startFauxqs } from "fauxqs";

const server = await startFauxqs({ port: 0, host: "127.0.0.1", logger: false, defaultRegion: process.env.AWS_REGION ?? "us-east-1" });
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
