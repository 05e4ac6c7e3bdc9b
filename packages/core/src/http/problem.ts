/**
 * Maps any thrown value to an RFC 9457 problem response (`application/problem+json`).
 *
 * Domain errors keep their status, stable `code` and details (`errors` for validation, `items`
 * for out of stock). Anything else becomes a 500 whose body contains nothing about the fault, so no
 * internal message, stack or cause reaches the client; the caller logs the original error.
 */
import {
  DomainError,
  type FieldIssue,
  InvalidPromotionError,
  OutOfStockError,
  PayloadTooLargeError,
  ServiceBusyError,
  type StockShortage,
  UnknownProductError,
  ValidationError,
} from "../errors/domain-errors.ts";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Base of the problem `type` URIs; the code follows with hyphens, as in `.../out-of-stock`. */
export const PROBLEM_TYPE_BASE = "https://orderflow.dev/problems/";

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  /** For `validation_failed`: every invalid field. */
  errors?: FieldIssue[];
  /** For `out_of_stock`: every short SKU with what is left. */
  items?: StockShortage[];
  /** For `unknown_product`: the SKUs not in the catalog. */
  skus?: string[];
  /** For `invalid_promotion`: the code and why it does not apply. */
  promotionCode?: string;
  reason?: string;
  minSubtotal?: number;
  /** For `payload_too_large`: the largest accepted body in bytes. */
  limitBytes?: number;
}

export interface ProblemResponse {
  status: number;
  headers: Record<string, string>;
  body: ProblemDocument;
}

export function problemType(code: string): string {
  return `${PROBLEM_TYPE_BASE}${code.replaceAll("_", "-")}`;
}

function problemExtensions(error: DomainError): Partial<ProblemDocument> {
  if (error instanceof ValidationError) {
    return { errors: error.errors.map((issue) => ({ ...issue })) };
  }
  if (error instanceof OutOfStockError) {
    return { items: error.items.map((item) => ({ ...item })) };
  }
  if (error instanceof UnknownProductError) {
    return { skus: [...error.skus] };
  }
  if (error instanceof InvalidPromotionError) {
    return error.minSubtotal === undefined
      ? { promotionCode: error.promotionCode, reason: error.reason }
      : {
          promotionCode: error.promotionCode,
          reason: error.reason,
          minSubtotal: error.minSubtotal,
        };
  }
  if (error instanceof PayloadTooLargeError) {
    return { limitBytes: error.limitBytes };
  }
  return {};
}

/** Builds the status, headers and problem body of the response to `error`. */
export function toProblem(error: unknown): ProblemResponse {
  if (!(error instanceof DomainError)) {
    return {
      status: 500,
      headers: { "content-type": PROBLEM_CONTENT_TYPE },
      body: {
        type: problemType("internal_error"),
        title: "Internal server error",
        status: 500,
        code: "internal_error",
        detail: "The server could not complete the request. Try again later.",
      },
    };
  }

  const headers: Record<string, string> = { "content-type": PROBLEM_CONTENT_TYPE };
  if (error instanceof ServiceBusyError) {
    headers["retry-after"] = String(error.retryAfterSeconds);
  }

  return {
    status: error.status,
    headers,
    body: {
      type: problemType(error.code),
      title: error.title,
      status: error.status,
      code: error.code,
      detail: error.detail,
      ...problemExtensions(error),
    },
  };
}
