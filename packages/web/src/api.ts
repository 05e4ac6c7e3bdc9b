import type { Product } from "@orderflow/core/catalog/products";
import type { FieldIssue, StockShortage } from "@orderflow/core/errors/domain-errors";
import type { OrderRequest } from "@orderflow/core/order/request";
import type { QuoteTotals } from "@orderflow/core/pricing/price";

/** One product of `GET /products`; amounts are integer minor units. */
export type CatalogProduct = Product;

export interface Catalog {
  currency: string;
  products: CatalogProduct[];
}

export interface PricedLine {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
}

export type Totals = QuoteTotals;

/** The response of `POST /quotes`: what `POST /orders` would charge for the same body. */
export interface Quote {
  currency: string;
  lines: PricedLine[];
  totals: Totals;
  promotionCode?: string;
}

export interface WorkflowStepTiming {
  name: string;
  startedAt: string;
  durationMs: number;
}

/** The response of `POST /orders` (201) and `GET /orders/{orderId}` (200, without the token). */
export interface PlacedOrder extends Quote {
  orderId: string;
  accessToken?: string;
  status: string;
  createdAt: string;
  customer: OrderRequest["customer"];
  shippingAddress: OrderRequest["shippingAddress"];
  notification?: { status: "sent" | "owed"; email: string };
  workflow?: { executionName?: string; steps: WorkflowStepTiming[] };
}

/** An `application/problem+json` response body (RFC 9457) with orderflow's extension members. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  /** `validation_failed`: every invalid field. */
  errors?: FieldIssue[];
  /** `out_of_stock`: every short SKU with what is left. */
  items?: StockShortage[];
  /** `unknown_product`: the SKUs not in the catalog. */
  skus?: string[];
  /** `invalid_promotion`: why the code does not apply, and for `below_minimum` the subtotal. */
  reason?: string;
  minSubtotal?: number;
}

/** The API returned a problem. `retryAfterSeconds` comes from the `Retry-After` header. */
export class ApiProblemError extends Error {
  override readonly name = "ApiProblemError";

  constructor(
    readonly problem: Problem,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(`${problem.status} ${problem.code}: ${problem.detail ?? problem.title}`);
  }
}

/** The request failed before any HTTP response arrived (offline, DNS, CORS, connection reset). */
export class NetworkError extends Error {
  override readonly name = "NetworkError";

  constructor(url: string, options: { cause: unknown }) {
    super(`request to ${url} failed before a response arrived`, options);
  }
}

/** A thin client of the orderflow HTTP API. Every method rejects with one of the errors above. */
export class OrderflowApi {
  constructor(private readonly baseUrl: string) {}

  getCatalog(signal?: AbortSignal): Promise<Catalog> {
    return this.send<Catalog>("GET", "/products", { signal });
  }

  quote(request: OrderRequest, signal?: AbortSignal): Promise<Quote> {
    return this.send<Quote>("POST", "/quotes", { body: request, signal });
  }

  placeOrder(request: OrderRequest, idempotencyKey: string): Promise<PlacedOrder> {
    return this.send<PlacedOrder>("POST", "/orders", {
      body: request,
      headers: { "Idempotency-Key": idempotencyKey },
    });
  }

  getOrder(orderId: string, accessToken: string, signal?: AbortSignal): Promise<PlacedOrder> {
    return this.send<PlacedOrder>("GET", `/orders/${encodeURIComponent(orderId)}`, {
      headers: { Authorization: `Bearer ${accessToken}` },
      signal,
    });
  }

  private async send<T>(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal | undefined },
  ): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
    }

    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: options.signal ?? null,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") {
        throw error;
      }
      throw new NetworkError(url, { cause: error });
    }

    if (response.ok) {
      return (await response.json()) as T;
    }
    throw new ApiProblemError(await readProblem(response), parseRetryAfter(response));
  }
}

/** Reads a problem body, or builds one from the status when the body is not problem+json. */
async function readProblem(response: Response): Promise<Problem> {
  const fallback: Problem = {
    title: response.statusText || "The request failed",
    status: response.status,
    code: `http_${response.status}`,
  };

  try {
    const body: unknown = await response.json();
    if (isProblem(body)) {
      return body;
    }
  } catch {
    // A proxy or gateway may respond with HTML or an empty body, and the status is enough then.
  }
  return fallback;
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const candidate = value as Record<string, unknown>;
  return typeof candidate.code === "string" && typeof candidate.status === "number";
}

/** Parses `Retry-After` as delay seconds or an HTTP date; returns undefined when absent. */
export function parseRetryAfter(response: Pick<Response, "headers">, now = Date.now()) {
  const value = response.headers.get("Retry-After");
  if (value === null || value.trim() === "") {
    return undefined;
  }

  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim());
  }
  // Only IMF-fixdate, which ends in "GMT", is read as a date (RFC 9110 says senders use it), so
  // Date.parse never turns a value like "-1" into a year.
  const date = /GMT$/.test(value.trim()) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
