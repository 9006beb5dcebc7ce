/** Writes openapi/switchboard.v1.json from the code; `--check` fails when the committed file is stale. */
import { readFile, writeFile } from "node:fs/promises";
import { buildOpenApiDocument } from "../functions/openapi/build-document";

const file = new URL("../openapi/switchboard.v1.json", import.meta.url);
const generated = `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;

if (process.argv.includes("--check")) {
  const committed = await readFile(file, "utf8").catch(() => "");
  if (committed !== generated) {
    console.error("openapi/switchboard.v1.json is stale: run `npm run openapi` and commit the result.");
    process.exit(1);
  }
  console.log("openapi/switchboard.v1.json is up to date.");
} else {
  await writeFile(file, generated);
  console.log("wrote openapi/switchboard.v1.json");
}
