/** Embedded mode: the signing key is generated once into the data folder and kept there. Node only. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateSigningKey, type PrivateJwk, parseSigningKeys } from "./signer";

export async function loadOrCreateSigningKeys(dataDir: string): Promise<PrivateJwk[]> {
  const file = join(dataDir, "signing-keys.json");
  try {
    return parseSigningKeys(await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const keys = [await generateSigningKey()];
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(keys, null, 2), { mode: 0o600, flag: "wx" });
  return keys;
}
