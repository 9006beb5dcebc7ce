/**
 * Entry point: `npx tsx cli/switchboard.ts verify <bundle.json> --keys <jwks.json>` (or `npm run switchboard -- verify …`).
 * Works offline with --keys; needs no database and no configuration.
 */
import { runCli } from "./run-cli";

process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
