import { createRouter } from "../router";
import { getReceipt, verifyReceiptLog } from "./receipts.handlers";
import { getReceiptRoute, verifyReceiptLogRoute } from "./receipts.routes";

/** The static `verification` path is registered before `{id}` so it is not read as an id. */
export const receiptsRouter = createRouter()
  .openapi(verifyReceiptLogRoute, verifyReceiptLog)
  .openapi(getReceiptRoute, getReceipt);
