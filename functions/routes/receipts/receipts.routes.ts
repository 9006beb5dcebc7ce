import { createRoute } from "@hono/zod-openapi";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";
import { LogVerificationSchema, ReceiptIdParams, ReceiptWithProofSchema } from "./receipts.schemas";

const receipts = { security: bearerAuth, tags: ["Receipts"] };

export const verifyReceiptLogRoute = createRoute({
  ...receipts,
  method: "get",
  path: "/v1/receipts/verification",
  operationId: "verifyReceiptLog",
  summary: "Verify the whole receipt log",
  description:
    "Re-derives every receipt's digest, leaf hash and chain, checks seq continuity, the Merkle root at every checkpoint and the latest checkpoint's signature, and names the first entry that does not hold up. Reads the whole log: O(n).",
  responses: {
    200: {
      description: "The verification result",
      content: { "application/json": { schema: LogVerificationSchema } },
    },
    ...errorResponses(403),
  },
});

export const getReceiptRoute = createRoute({
  ...receipts,
  method: "get",
  path: "/v1/receipts/{id}",
  operationId: "getReceipt",
  summary: "Read a receipt with its inclusion proof",
  description:
    "The receipt, an RFC 6962 inclusion proof, and the latest signed checkpoint the proof leads to (or the current head, when the receipt is newer than it). Another tenant's receipt id answers 404.",
  request: { params: ReceiptIdParams },
  responses: {
    200: {
      description: "The receipt and its proof",
      content: { "application/json": { schema: ReceiptWithProofSchema } },
    },
    ...errorResponses(403, 404),
  },
});
