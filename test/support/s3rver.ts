/**
 * A real S3-protocol server (s3rver) on loopback, in a child process.
 *
 * s3rver encrypts ListObjectsV2 continuation tokens with single DES, which
 * OpenSSL 3 only offers through its legacy provider, so it runs in a child
 * process started with that provider.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { AwsClient } from "aws4fetch";

/** s3rver accepts any secret but only this access key id (it does not verify V4 signatures). */
export const s3rverCredentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER", region: "us-east-1" };

const serverScript = `
const S3rver = require(process.argv[1]);
const server = new S3rver({ address: "127.0.0.1", port: 0, directory: process.argv[2], silent: true });
server.run().then((address) => console.log(JSON.stringify(address)));
process.on("SIGTERM", () => server.close().finally(() => process.exit(0)));
`;

export interface S3rver {
  /** `http://127.0.0.1:<port>` (path-style addressing only). */
  endpoint: string;
  /** Creates a bucket; throws unless s3rver answers 200. */
  createBucket(bucket: string): Promise<void>;
  close(): Promise<void>;
}

export async function startS3rver(): Promise<S3rver> {
  const directory = await mkdtemp(path.join(tmpdir(), "s3rver-"));
  const s3rverPath = createRequire(import.meta.url).resolve("s3rver");
  const child = spawn(
    process.execPath,
    ["--openssl-legacy-provider", "-e", serverScript, s3rverPath, directory],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    }
    await rm(directory, { recursive: true, force: true });
  };
  let port: number;
  try {
    const [line] = (await Promise.race([
      once(child.stdout, "data"),
      once(child, "exit").then(() => Promise.reject(new Error("s3rver exited before listening"))),
    ])) as [Buffer];
    ({ port } = JSON.parse(line.toString()) as { port: number });
  } catch (error) {
    await close();
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new AwsClient({ ...s3rverCredentials, service: "s3" });
  return {
    endpoint,
    close,
    async createBucket(bucket) {
      const response = await client.fetch(`${endpoint}/${bucket}`, { method: "PUT" });
      await response.body?.cancel();
      if (response.status !== 200)
        throw new Error(`s3rver: creating bucket ${bucket} answered ${response.status}`);
    },
  };
}
