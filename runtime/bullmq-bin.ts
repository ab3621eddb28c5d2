/** The igluc-worker command (see bullmq/bin.ts). */
import { main } from "./bullmq/bin.js";

process.exitCode = await main(process.argv.slice(2));
