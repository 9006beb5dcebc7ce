import { createRouter } from "../router";
import { createApiKey, listApiKeys, revokeKey } from "./api-keys.handlers";
import { createApiKeyRoute, listApiKeysRoute, revokeApiKeyRoute } from "./api-keys.routes";

export const apiKeysRouter = createRouter()
  .openapi(createApiKeyRoute, createApiKey)
  .openapi(listApiKeysRoute, listApiKeys)
  .openapi(revokeApiKeyRoute, revokeKey);
