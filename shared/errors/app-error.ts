/**
 * One error type for the whole product. Domain code throws `AppError(code, detail)`;
 * the HTTP layer turns it into an RFC 9457 problem with the status mapped here.
 */
export const errorCodes = {
  bad_request: { status: 400, title: "Bad request" },
  validation_failed: { status: 400, title: "The request did not pass validation" },
  malformed_json: { status: 400, title: "The request body is not valid JSON" },
  unauthenticated: { status: 401, title: "Authentication required" },
  invalid_credential: { status: 401, title: "The credential was not accepted" },
  forbidden: { status: 403, title: "Forbidden" },
  tenant_mismatch: { status: 403, title: "The credential belongs to another tenant's domain" },
  tenant_suspended: { status: 403, title: "The tenant is suspended" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  unprocessable: { status: 422, title: "Unprocessable content" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "Service unavailable" },
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface FieldProblem {
  /** JSON Pointer (RFC 6901) into the request part named by `in`. */
  pointer: string;
  in: "body" | "query" | "path" | "header";
  code: string;
  message: string;
}

export interface AppErrorExtras {
  errors?: FieldProblem[];
  decisionId?: string;
  receiptId?: string;
  headers?: Record<string, string>;
  /** Extra members that help the caller, e.g. `limit` for a size limit. */
  [member: string]: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly extras: AppErrorExtras;

  constructor(code: ErrorCode, detail: string, extras: AppErrorExtras = {}) {
    super(detail);
    this.name = "AppError";
    this.code = code;
    this.status = errorCodes[code].status;
    this.title = errorCodes[code].title;
    this.extras = extras;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
