import { describe, expect, it } from "vitest";
import { ConfigError, loadNodeConfig, loadWorkerConfig } from "../../shared/platform/config";

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

describe("configuration", () => {
  it("gives embedded defaults on Node with nothing set", () => {
    expect(loadNodeConfig({})).toMatchObject({
      PORT: 8787,
      DATA_DIR: "./.data",
      SEED_DEMO: true,
      LOG_LEVEL: "info",
      IMPORT_MAX_BYTES: 50 * 1024 * 1024,
      IMPORT_READER_THREADS: 1,
    });
  });

  it("seeds the demo tenant by default only on the embedded database, never on DATABASE_URL unless asked", () => {
    expect(loadNodeConfig({}).SEED_DEMO).toBe(true);
    expect(loadNodeConfig({ DATABASE_URL: "postgres://db/app" }).SEED_DEMO).toBe(false);
    expect(loadNodeConfig({ DATABASE_URL: "postgres://db/app", SEED_DEMO: "true" }).SEED_DEMO).toBe(true);
    expect(loadNodeConfig({ SEED_DEMO: "false" }).SEED_DEMO).toBe(false);
    expect(loadNodeConfig({ DATABASE_URL: "", SEED_DEMO: "" }).SEED_DEMO).toBe(true); // empty means unset
  });

  it("names each malformed setting", () => {
    const error = failure(() =>
      loadNodeConfig({
        PORT: "eighty",
        LOG_LEVEL: "loud",
        DATABASE_URL: "mysql://x",
        IMPORT_MAX_BYTES: "12",
        IMPORT_READER_THREADS: "-1",
      }),
    );
    expect(error.settings.sort()).toEqual([
      "DATABASE_URL",
      "IMPORT_MAX_BYTES",
      "IMPORT_READER_THREADS",
      "LOG_LEVEL",
      "PORT",
    ]);
    expect(error.message).toContain('PORT: expected an integer from 1 to 65535, got "eighty"');
    expect(error.message).toContain("DATABASE_URL: expected a postgres:// or postgresql:// URL");
  });

  it("asks for the rest of the S3 settings once one is set", () => {
    const error = failure(() => loadNodeConfig({ S3_ENDPOINT: "https://s3.example.com" }));
    expect(error.settings).toEqual(["S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"]);
    expect(error.message).toContain("S3_BUCKET: is required when S3_ENDPOINT is set");
  });

  it("requires the production settings on Workers and ignores non-string bindings", () => {
    const error = failure(() => loadWorkerConfig({ JOBS: { send() {} }, DATABASE_URL: "postgres://db/x" }));
    expect(error.settings.sort()).toEqual([
      "S3_ACCESS_KEY_ID",
      "S3_BUCKET",
      "S3_ENDPOINT",
      "S3_SECRET_ACCESS_KEY",
      "SIGNING_KEYS",
    ]);
    expect(error.message).toContain("SIGNING_KEYS: is required");
  });
});

describe("empty settings", () => {
  it("treats NAME= as unset", () => {
    const config = loadNodeConfig({ DATABASE_URL: "", PORT: "" });
    expect(config.PORT).toBe(8787);
    expect(config.DATABASE_URL).toBeUndefined();
  });
});
