/**
 * The app's topology as plain data: the table, the functions and what each links to, the HTTP
 * routes and the workflow steps. The SST stacks build AWS resources from it and the offline stack
 * (packages/local) runs the same functions from it, so nothing about the app is listed twice.
 *
 * This file must stay free of SST globals and of any import with side effects, because Node loads
 * it outside SST.
 */

export const appName = "orderflow";

/** Names of the linkable resources, as handlers see them on SST's `Resource` object. */
export type ResourceName = "Table" | "OrderWorkflow" | "Email";

export const table = {
  resource: "Table",
  partitionKey: "pk",
  sortKey: "sk",
  globalIndexes: {
    gsi1: { partitionKey: "gsi1pk", sortKey: "gsi1sk" },
  },
  /** Epoch seconds after which DynamoDB may delete the item, set on idempotency records. */
  ttlAttribute: "expiresAt",
  stream: "new-and-old-images",
} as const;

export interface FunctionSpec {
  /** Path from the repository root, `file.export`, as SST's `handler` option takes it. */
  handler: string;
  description: string;
  /** Seconds. */
  timeout: number;
  /** MB. */
  memory: number;
  link: readonly ResourceName[];
}

/**
 * Sizing. Every function gets 512 MB, because Lambda gives CPU in proportion to memory and each of
 * them sits on a shopper's request path: POST /orders waits for all four steps. Lambda's docs put
 * one full vCPU at 1,769 MB, so 512 MB buys about 0.29 of one, for loading a bundle of about 700 KB
 * (docs/benchmarks.md) and for the request itself. NOTE: 512 MB is an estimate, not measured on AWS;
 * tune it with the duration and max memory that CloudWatch reports for the REPORT lines.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
 *
 * Timeouts: route handlers stay under API Gateway's 30-second integration timeout, so a slow call
 * ends in the function's own error and log line rather than a bare 503. Workflow steps get 10 s,
 * equal to their Task's TimeoutSeconds in the state machine, so Step Functions and Lambda agree on
 * when a step timed out.
 */
export const functions = {
  ListProducts: {
    handler: "packages/functions/src/api/list-products.handler",
    description: "GET /products: the catalog with prices and stock",
    // One Query of a few dozen small items, so 10 s leaves room for DynamoDB retries with backoff.
    timeout: 10,
    memory: 512,
    link: ["Table"],
  },
  PlaceOrder: {
    handler: "packages/functions/src/api/place-order.handler",
    description: "POST /orders: validates the request and runs the order workflow synchronously",
    // One second under API Gateway's 30 s, and above the workflow's own time limit, so the
    // function can still map a timed-out run to 504 before the gateway gives up.
    timeout: 29,
    memory: 512,
    link: ["Table", "OrderWorkflow"],
  },
  QuoteOrder: {
    handler: "packages/functions/src/api/quote-order.handler",
    description: "POST /quotes: prices a cart exactly as an order would be priced, writes nothing",
    timeout: 10,
    memory: 512,
    link: ["Table"],
  },
  GetOrder: {
    handler: "packages/functions/src/api/get-order.handler",
    description: "GET /orders/{orderId}: one order, for the holder of its access token",
    timeout: 10,
    memory: 512,
    link: ["Table"],
  },
  ValidateOrder: {
    handler: "packages/functions/src/workflow/validate.handler",
    description: "Workflow step: checks the request against the schema and the catalog",
    timeout: 10,
    memory: 512,
    link: ["Table"],
  },
  PriceOrder: {
    handler: "packages/functions/src/workflow/price.handler",
    description: "Workflow step: prices the lines, shipping and tax from the catalog",
    timeout: 10,
    memory: 512,
    link: ["Table"],
  },
  PersistOrder: {
    handler: "packages/functions/src/workflow/persist.handler",
    description: "Workflow step: writes the order and decrements stock in one transaction",
    timeout: 10,
    memory: 512,
    link: ["Table"],
  },
  NotifyOrder: {
    handler: "packages/functions/src/workflow/notify.handler",
    description: "Workflow step: sends the confirmation e-mail",
    timeout: 10,
    memory: 512,
    link: ["Table", "Email"],
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

/** HTTP API routes, `METHOD /path`, each served by one function. */
export const routes = {
  "GET /products": "ListProducts",
  "POST /quotes": "QuoteOrder",
  "POST /orders": "PlaceOrder",
  "GET /orders/{orderId}": "GetOrder",
} as const satisfies Record<string, FunctionName>;

/** The Express state machine and the function behind each of its Task states. */
export const workflow = {
  resource: "OrderWorkflow",
  type: "EXPRESS",
  steps: {
    Validate: "ValidateOrder",
    Price: "PriceOrder",
    Persist: "PersistOrder",
    Notify: "NotifyOrder",
  },
} as const satisfies {
  resource: ResourceName;
  type: "EXPRESS";
  steps: Record<string, FunctionName>;
};

export type WorkflowStep = keyof typeof workflow.steps;

export const email = {
  resource: "Email",
} as const;
