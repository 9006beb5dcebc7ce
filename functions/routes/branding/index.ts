import { createRouter } from "../router";
import { getBranding } from "./branding.handlers";
import { getBrandingRoute } from "./branding.routes";

export const brandingRouter = createRouter().openapi(getBrandingRoute, getBranding);
