/** The security requirement every /v1 route declares. */
export const bearerAuth = [{ apiKey: [] }];
