/**
 * Domain errors: what the caller did wrong, each with a stable `name`, `code` and HTTP status.
 *
 * Step Functions matches `Catch` on the error's `name`, which each class sets from a string
 * literal so that minified bundles keep it. Lambda reports a thrown error as
 * `{errorType, errorMessage, trace}`, taken from `name`, `message` and the stack, and drops every
 * other property. So `message` is the JSON text of `toJSON()`: the payload (SKUs, field paths,
 * stock left) survives the trip through the workflow, and `domainErrorFromCause` rebuilds the
 * same error on the API side. The human-readable text is `detail`.
 *
 * This module is shared with the browser, so it imports nothing Node- or AWS-specific.
 */

/** One invalid field of a request; `path` is dotted, such as `lines.0.quantity`. */
export interface FieldIssue {
  path: string;
  code: string;
  message: string;
}

/** One line that requests more units than are in stock. */
export interface StockShortage {
  sku: string;
  requested: number;
  available: number;
}

export type InvalidPromotionReason =
  | "unknown"
  | "not_yet_valid"
  | "expired"
  | "used_up"
  | "below_minimum";

export type MalformedRequestCode = "malformed_json" | "missing_body";

/** The plain JSON form of a domain error, as `toJSON()` returns it and `fromJSON` reads it. */
export interface DomainErrorJSON {
  name: string;
  code: string;
  status: number;
  detail: string;
  [key: string]: unknown;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  /** Short summary of the problem type, the same for every instance of a class. */
  abstract readonly title: string;
  /** Human-readable explanation of this occurrence. */
  readonly detail: string;

  protected constructor(name: string, detail: string, options?: { cause?: unknown }) {
    super(detail, options);
    this.name = name;
    this.detail = detail;
  }

  /** Fields beyond name, code, status and detail that describe this occurrence. */
  protected payload(): Record<string, unknown> {
    return {};
  }

  toJSON(): DomainErrorJSON {
    return {
      ...this.payload(),
      name: this.name,
      code: this.code,
      status: this.status,
      detail: this.detail,
    };
  }

  /**
   * Sets `message` to the JSON form. Subclasses call it at the end of their constructor, once
   * their own fields are assigned.
   */
  protected seal(): void {
    this.message = JSON.stringify(this.toJSON());
  }

  /** Rebuilds a domain error from its `toJSON()` form; returns undefined for anything else. */
  static fromJSON(value: unknown): DomainError | undefined {
    if (!isRecord(value) || typeof value.name !== "string") {
      return undefined;
    }
    const rebuild = rebuilders.get(value.name);
    return rebuild ? rebuild(value) : undefined;
  }
}

/**
 * Field issues a ValidationError lists at most. The error's JSON form travels through Step
 * Functions as the error cause, so a hostile request with thousands of unknown keys must still
 * produce a small one.
 */
export const MAX_LISTED_FIELD_ISSUES = 50;

function describeInvalidFields(invalidFieldCount: number, listedCount: number): string {
  const counted =
    invalidFieldCount === 1 ? "1 field is invalid" : `${invalidFieldCount} fields are invalid`;
  return listedCount < invalidFieldCount
    ? `${counted}; the first ${listedCount} are listed`
    : counted;
}

export class ValidationError extends DomainError {
  readonly code = "validation_failed";
  readonly status = 422;
  readonly title = "The request is invalid";
  /** The first MAX_LISTED_FIELD_ISSUES invalid fields. */
  readonly errors: readonly FieldIssue[];
  /** Invalid fields in all, listed or not. */
  readonly invalidFieldCount: number;

  /**
   * `invalidFieldCount` is for rebuilding an error whose list was already cut; it defaults to
   * the length of `errors`.
   */
  constructor(
    errors: readonly FieldIssue[],
    options?: { cause?: unknown; invalidFieldCount?: number },
  ) {
    const invalidFieldCount = Math.max(errors.length, options?.invalidFieldCount ?? 0);
    const listed = errors.slice(0, MAX_LISTED_FIELD_ISSUES);
    super("ValidationError", describeInvalidFields(invalidFieldCount, listed.length), options);
    this.errors = listed.map((issue) => ({
      path: issue.path,
      code: issue.code,
      message: issue.message,
    }));
    this.invalidFieldCount = invalidFieldCount;
    this.seal();
  }

  protected override payload() {
    return this.invalidFieldCount > this.errors.length
      ? { errors: this.errors, invalidFieldCount: this.invalidFieldCount }
      : { errors: this.errors };
  }
}

export class UnknownProductError extends DomainError {
  readonly code = "unknown_product";
  readonly status = 422;
  readonly title = "A product is not in the catalog";
  readonly skus: readonly string[];

  constructor(skus: readonly string[], options?: { cause?: unknown }) {
    super("UnknownProductError", `Products not in the catalog: ${skus.join(", ")}`, options);
    this.skus = [...skus];
    this.seal();
  }

  protected override payload() {
    return { skus: this.skus };
  }
}

export class OutOfStockError extends DomainError {
  readonly code = "out_of_stock";
  readonly status = 409;
  readonly title = "Not enough stock";
  readonly items: readonly StockShortage[];

  constructor(items: readonly StockShortage[], options?: { cause?: unknown }) {
    const list = items.map(
      (item) => `${item.sku} (requested ${item.requested}, available ${item.available})`,
    );
    super("OutOfStockError", `Not enough stock for ${list.join(", ")}`, options);
    this.items = items.map((item) => ({
      sku: item.sku,
      requested: item.requested,
      available: item.available,
    }));
    this.seal();
  }

  protected override payload() {
    return { items: this.items };
  }
}

const promotionReasonText: Record<InvalidPromotionReason, string> = {
  unknown: "does not exist",
  not_yet_valid: "is not valid yet",
  expired: "has expired",
  used_up: "has been used the maximum number of times",
  below_minimum: "requires a higher order subtotal",
};

export class InvalidPromotionError extends DomainError {
  readonly code = "invalid_promotion";
  readonly status = 422;
  readonly title = "The promotion code cannot be applied";
  readonly promotionCode: string;
  readonly reason: InvalidPromotionReason;
  /** For `below_minimum`: the subtotal the code requires, in minor units. */
  readonly minSubtotal: number | undefined;

  constructor(
    promotionCode: string,
    reason: InvalidPromotionReason,
    options?: { cause?: unknown; minSubtotal?: number },
  ) {
    super(
      "InvalidPromotionError",
      `Promotion code ${promotionCode} ${promotionReasonText[reason]}`,
      options,
    );
    this.promotionCode = promotionCode;
    this.reason = reason;
    this.minSubtotal = options?.minSubtotal;
    this.seal();
  }

  protected override payload() {
    return this.minSubtotal === undefined
      ? { promotionCode: this.promotionCode, reason: this.reason }
      : { promotionCode: this.promotionCode, reason: this.reason, minSubtotal: this.minSubtotal };
  }
}

export class IdempotencyKeyInUseError extends DomainError {
  readonly code = "idempotency_key_in_use";
  readonly status = 409;
  readonly title = "A request with this Idempotency-Key is still running";

  constructor(options?: { cause?: unknown }) {
    super(
      "IdempotencyKeyInUseError",
      "A request with this Idempotency-Key is still being processed; retry when it has finished",
      options,
    );
    this.seal();
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  readonly code = "idempotency_key_reused";
  readonly status = 422;
  readonly title = "The Idempotency-Key was used with another request body";

  constructor(options?: { cause?: unknown }) {
    super(
      "IdempotencyKeyReusedError",
      "This Idempotency-Key was already used with a different request body; use a new key",
      options,
    );
    this.seal();
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly code = "payload_too_large";
  readonly status = 413;
  readonly title = "The request body is too large";
  /** Largest accepted body, in bytes. */
  readonly limitBytes: number;

  constructor(limitBytes: number, options?: { cause?: unknown }) {
    super(
      "PayloadTooLargeError",
      `The request body exceeds the limit of ${limitBytes} bytes`,
      options,
    );
    this.limitBytes = limitBytes;
    this.seal();
  }

  protected override payload() {
    return { limitBytes: this.limitBytes };
  }
}

export class MalformedRequestError extends DomainError {
  readonly code: MalformedRequestCode;
  readonly status = 400;
  readonly title = "The request body is not valid JSON";

  constructor(code: MalformedRequestCode, options?: { cause?: unknown }) {
    super(
      "MalformedRequestError",
      code === "missing_body"
        ? "The request has no body; send the order as JSON"
        : "The request body is not valid JSON",
      options,
    );
    this.code = code;
    this.seal();
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly code = "unsupported_media_type";
  readonly status = 415;
  readonly title = "The content type is not supported";

  constructor(options?: { cause?: unknown }) {
    super(
      "UnsupportedMediaTypeError",
      "The request body must be sent with Content-Type: application/json",
      options,
    );
    this.seal();
  }
}

export class OrderNotFoundError extends DomainError {
  readonly code = "not_found";
  readonly status = 404;
  readonly title = "Not found";

  // One error covers an unknown order and a wrong access token, so a client cannot tell them apart.
  constructor(options?: { cause?: unknown }) {
    super("OrderNotFoundError", "No order was found for this id and access token", options);
    this.seal();
  }
}

export class RouteNotFoundError extends DomainError {
  readonly code = "not_found";
  readonly status = 404;
  readonly title = "Not found";
  readonly method: string;
  readonly path: string;

  constructor(method: string, path: string, options?: { cause?: unknown }) {
    super("RouteNotFoundError", `No route matches ${method} ${path}`, options);
    this.method = method;
    this.path = path;
    this.seal();
  }

  protected override payload() {
    return { method: this.method, path: this.path };
  }
}

export class ServiceBusyError extends DomainError {
  readonly code = "busy";
  readonly status = 503;
  readonly title = "The service is busy";
  /** Seconds the client should wait before retrying, sent as `Retry-After`. */
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(
      "ServiceBusyError",
      `The service is busy; retry after ${retryAfterSeconds} seconds`,
      options,
    );
    this.retryAfterSeconds = retryAfterSeconds;
    this.seal();
  }

  protected override payload() {
    return { retryAfterSeconds: this.retryAfterSeconds };
  }
}

export class WorkflowTimeoutError extends DomainError {
  readonly code = "timeout";
  readonly status = 504;
  readonly title = "The order was not processed in time";

  constructor(options?: { cause?: unknown }) {
    super(
      "WorkflowTimeoutError",
      "The order workflow did not finish in time; retry with the same Idempotency-Key to get its outcome",
      options,
    );
    this.seal();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function isFieldIssue(value: unknown): value is FieldIssue {
  return (
    isRecord(value) &&
    typeof value.path === "string" &&
    typeof value.code === "string" &&
    typeof value.message === "string"
  );
}

function isShortage(value: unknown): value is StockShortage {
  return (
    isRecord(value) &&
    typeof value.sku === "string" &&
    isCount(value.requested) &&
    isCount(value.available)
  );
}

const promotionReasons = new Set<string>(Object.keys(promotionReasonText));

// Each rebuilder checks the payload it needs and returns undefined when it is not there, so a
// foreign error that happens to share a name is never mistaken for ours.
const rebuilders = new Map<string, (json: Record<string, unknown>) => DomainError | undefined>(
  Object.entries({
    ValidationError: (json) => {
      if (!Array.isArray(json.errors) || !json.errors.every(isFieldIssue)) {
        return undefined;
      }
      const invalidFieldCount = isCount(json.invalidFieldCount)
        ? json.invalidFieldCount
        : undefined;
      return new ValidationError(json.errors, { invalidFieldCount });
    },
    UnknownProductError: (json) =>
      isStringArray(json.skus) ? new UnknownProductError(json.skus) : undefined,
    OutOfStockError: (json) =>
      Array.isArray(json.items) && json.items.every(isShortage)
        ? new OutOfStockError(json.items)
        : undefined,
    InvalidPromotionError: (json) => {
      if (typeof json.promotionCode !== "string" || typeof json.reason !== "string") {
        return undefined;
      }
      if (!promotionReasons.has(json.reason)) {
        return undefined;
      }
      const minSubtotal = isCount(json.minSubtotal) ? json.minSubtotal : undefined;
      return new InvalidPromotionError(json.promotionCode, json.reason as InvalidPromotionReason, {
        minSubtotal,
      });
    },
    IdempotencyKeyInUseError: () => new IdempotencyKeyInUseError(),
    IdempotencyKeyReusedError: () => new IdempotencyKeyReusedError(),
    PayloadTooLargeError: (json) =>
      isCount(json.limitBytes) ? new PayloadTooLargeError(json.limitBytes) : undefined,
    MalformedRequestError: (json) =>
      json.code === "malformed_json" || json.code === "missing_body"
        ? new MalformedRequestError(json.code)
        : undefined,
    UnsupportedMediaTypeError: () => new UnsupportedMediaTypeError(),
    OrderNotFoundError: () => new OrderNotFoundError(),
    RouteNotFoundError: (json) =>
      typeof json.method === "string" && typeof json.path === "string"
        ? new RouteNotFoundError(json.method, json.path)
        : undefined,
    ServiceBusyError: (json) =>
      isCount(json.retryAfterSeconds) ? new ServiceBusyError(json.retryAfterSeconds) : undefined,
    WorkflowTimeoutError: () => new WorkflowTimeoutError(),
  }),
);

/** Class names of every domain error, for the workflow's `Catch` clauses. */
export const DOMAIN_ERROR_NAMES: readonly string[] = Object.freeze([...rebuilders.keys()]);

function parseJSON(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Rebuilds the domain error carried by a Step Functions failure.
 *
 * `cause` is the `Cause` string of a caught error or of a failed execution: Lambda's
 * `{errorType, errorMessage, trace}` as JSON text, where `errorMessage` is our `toJSON()` text.
 * A bare `toJSON()` text is accepted too. Returns undefined for anything that is not ours,
 * including a Lambda error whose `errorType` differs from the name in the payload.
 */
export function domainErrorFromCause(cause: string | undefined | null): DomainError | undefined {
  if (typeof cause !== "string") {
    return undefined;
  }
  const outer = parseJSON(cause);
  if (!isRecord(outer)) {
    return undefined;
  }
  if (typeof outer.errorType === "string" && typeof outer.errorMessage === "string") {
    const rebuilt = DomainError.fromJSON(parseJSON(outer.errorMessage));
    return rebuilt?.name === outer.errorType ? rebuilt : undefined;
  }
  return DomainError.fromJSON(outer);
}
