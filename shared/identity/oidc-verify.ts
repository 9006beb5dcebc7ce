/**
 * Verifies an OIDC bearer JWT against one tenant's IdP with jose: its JWKS
 * (fetched once per URL per isolate, through the outbound client: never from a private
 * network, no redirects, at most 64 KB), its issuer and audience, an algorithm
 * allow-list and a small clock tolerance. Every refusal says which check failed.
 */
import {
  createRemoteJWKSet,
  customFetch,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
import type { Ctx } from "../context/context";
import type { IdpSettings } from "../db/schema";
import { AppError } from "../errors/app-error";
import type { Outbound } from "../platform/ports";

/** Asymmetric only: never `none`, never HS* (an HMAC "signed" with a public key is the classic confusion). */
export const allowedAlgorithms = ["RS256", "ES256", "EdDSA"] as const;
export const clockToleranceSeconds = 30;

const jwksCaches = new WeakMap<Outbound, Map<string, JWTVerifyGetKey>>();
const maxCachedJwks = 256;
const jwksTimeoutMs = 3_000;
const maxJwksBytes = 64 * 1024;

/** jose's fetch, made through the outbound client. */
const fetchThrough =
  (outbound: Outbound) =>
  async (url: string): Promise<Response> => {
    const res = await outbound.request({
      url,
      headers: { accept: "application/json" },
      timeoutMs: jwksTimeoutMs,
      maxBytes: maxJwksBytes,
    });
    if (res.truncated) throw new Error(`the key set is larger than ${maxJwksBytes} bytes`);
    if (res.status !== 200) throw new Error(`the key set URL answered ${res.status}`);
    return new Response(new TextDecoder().decode(res.body), { status: 200, headers: res.headers });
  };

/** One remote key set per URL in this isolate, so keys are fetched once, not per request. */
function remoteKeySet(outbound: Outbound, url: string): JWTVerifyGetKey {
  let jwksCache = jwksCaches.get(outbound);
  if (!jwksCache) {
    jwksCache = new Map();
    jwksCaches.set(outbound, jwksCache);
  }
  let keys = jwksCache.get(url);
  if (!keys) {
    if (jwksCache.size >= maxCachedJwks) {
      const oldest = jwksCache.keys().next().value;
      if (oldest !== undefined) jwksCache.delete(oldest);
    }
    // cooldown: an unknown kid re-fetches the set at most every 30 s.
    keys = createRemoteJWKSet(new URL(url), {
      timeoutDuration: jwksTimeoutMs,
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
      [customFetch]: fetchThrough(outbound),
    });
    jwksCache.set(url, keys);
  }
  return keys;
}

const refuse = (detail: string) =>
  new AppError("invalid_credential", detail, {
    headers: { "www-authenticate": 'Bearer realm="switchboard", error="invalid_token"' },
  });

/** Checks the header before any lookup: a token we would never accept costs no database or network work. */
export function checkTokenHeader(token: string): { alg: string; kid?: string } {
  let header: { alg?: unknown; kid?: unknown };
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw refuse("The bearer token is neither an API key (`sb_…`) nor a well-formed JWT.");
  }
  const alg = typeof header.alg === "string" ? header.alg : "";
  if (!(allowedAlgorithms as readonly string[]).includes(alg)) {
    throw refuse(
      `The token's algorithm \`${alg || "(missing)"}\` is not accepted; use ${allowedAlgorithms.join(", ")}.`,
    );
  }
  return { alg, ...(typeof header.kid === "string" ? { kid: header.kid } : {}) };
}

export async function verifyIdpToken({
  ctx,
  input,
}: {
  ctx: Pick<Ctx, "clock" | "logger" | "outbound">;
  input: { token: string; idp: Pick<IdpSettings, "issuer" | "audience" | "jwksUrl"> };
}): Promise<JWTPayload> {
  const { token, idp } = input;
  checkTokenHeader(token);
  try {
    const { payload } = await jwtVerify(token, remoteKeySet(ctx.outbound, idp.jwksUrl), {
      issuer: idp.issuer,
      audience: idp.audience,
      algorithms: [...allowedAlgorithms],
      clockTolerance: clockToleranceSeconds,
      currentDate: ctx.clock.now(),
      requiredClaims: ["exp", "sub"],
    });
    return payload;
  } catch (error) {
    throw explain(error, ctx);
  }
}

function explain(error: unknown, ctx: Pick<Ctx, "logger">): AppError {
  if (error instanceof errors.JWTExpired) return refuse("The token has expired (`exp` is in the past).");
  if (error instanceof errors.JWTClaimValidationFailed)
    return refuse(claimProblem(error.claim, error.reason));
  if (error instanceof errors.JWKSNoMatchingKey) {
    return refuse("No key in this tenant's IdP key set matches the token's `kid` and algorithm.");
  }
  if (error instanceof errors.JWKSMultipleMatchingKeys) {
    return refuse("The token's `kid` matches several keys in this tenant's IdP key set; name one key.");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return refuse("The token's signature does not verify with this tenant's IdP keys.");
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return refuse("The token's algorithm is not accepted.");
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return refuse("The token is not a well-formed signed JWT.");
  }
  if (error instanceof errors.JOSENotSupported)
    return refuse("The token uses a key type that is not supported.");
  ctx.logger.warn("idp jwks unavailable", { error: error instanceof Error ? error.message : String(error) });
  return new AppError(
    "unavailable",
    "This tenant's IdP signing keys could not be fetched; try again shortly.",
  );
}

function claimProblem(claim: string, reason: string): string {
  if (reason === "missing") return `The token lacks the required \`${claim}\` claim.`;
  switch (claim) {
    case "nbf":
      return "The token is not valid yet (`nbf` is in the future).";
    case "iss":
      return "The token's issuer (`iss`) is not this tenant's IdP.";
    case "aud":
      return "The token's audience (`aud`) is not this tenant's audience.";
    case "iat":
      return "The token's issue time (`iat`) is not acceptable.";
    default:
      return `The token's \`${claim}\` claim failed validation (${reason}).`;
  }
}
