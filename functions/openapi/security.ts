/**
 * The security requirement every /v1 route declares: an API key or an OIDC token. Two
 * entries are alternatives (either one suffices), not a pair that must both be sent.
 */
export const bearerAuth: Record<string, string[]>[] = [{ apiKey: [] }, { oidcBearer: [] }];
