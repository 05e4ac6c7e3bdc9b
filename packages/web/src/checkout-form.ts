import type { FieldIssue } from "@orderflow/core/errors/domain-errors";
import { fieldIssuesFromZod } from "@orderflow/core/errors/field-issues";
import { OrderRequest } from "@orderflow/core/order/request";

/** Dotted paths of the form's inputs, the same paths the API uses in its field errors. */
export const FIELD_PATHS = [
  "customer.name",
  "customer.email",
  "shippingAddress.line1",
  "shippingAddress.line2",
  "shippingAddress.postalCode",
  "shippingAddress.city",
  "shippingAddress.region",
  "shippingAddress.country",
  "promotionCode",
] as const;

export type FieldPath = (typeof FIELD_PATHS)[number];

export type FormValues = Record<FieldPath, string>;

export function isFieldPath(path: string): path is FieldPath {
  return (FIELD_PATHS as readonly string[]).includes(path);
}

export function emptyFormValues(country = ""): FormValues {
  const values = Object.fromEntries(FIELD_PATHS.map((path) => [path, ""])) as FormValues;
  values["shippingAddress.country"] = country;
  return values;
}

/**
 * Builds the JSON body of `POST /quotes` and `POST /orders` from the form and the cart.
 * Values are trimmed, the promotion code is upper-cased as the schema expects, and optional
 * fields left blank are omitted rather than sent empty.
 */
export function buildOrderRequest(
  values: FormValues,
  lines: { sku: string; quantity: number }[],
): OrderRequest {
  const read = (path: FieldPath) => values[path].trim();
  const optional = (path: FieldPath) => (read(path) === "" ? undefined : read(path));

  const request = {
    customer: { name: read("customer.name"), email: read("customer.email") },
    shippingAddress: {
      line1: read("shippingAddress.line1"),
      line2: optional("shippingAddress.line2"),
      city: read("shippingAddress.city"),
      postalCode: read("shippingAddress.postalCode"),
      region: optional("shippingAddress.region"),
      country: read("shippingAddress.country"),
    },
    lines,
    promotionCode: optional("promotionCode")?.toUpperCase(),
  };
  return JSON.parse(JSON.stringify(request)) as OrderRequest;
}

export interface ValidationResult {
  valid: boolean;
  /** First message per form field. */
  fields: Map<FieldPath, string>;
  /** First message per cart line, by line index. */
  lines: Map<number, string>;
  /** A message about the cart as a whole, such as an empty cart or too many lines. */
  cart: string | undefined;
}

/** Validates a request with the API's own schema and sorts the messages by where they show. */
export function validateOrderRequest(request: unknown): ValidationResult {
  const result = OrderRequest.safeParse(request);
  if (result.success) {
    return { valid: true, fields: new Map(), lines: new Map(), cart: undefined };
  }

  const isBlank = (path: string) => valueAt(request, path) === "";
  return sortIssues(fieldIssuesFromZod(result.error.issues), isBlank);
}

/** Sorts field issues, from zod or from a problem response, by where the page shows them. */
export function sortIssues(
  issues: readonly FieldIssue[],
  isBlank: (path: string) => boolean = () => false,
): ValidationResult {
  const sorted: ValidationResult = {
    valid: false,
    fields: new Map(),
    lines: new Map(),
    cart: undefined,
  };

  for (const issue of issues) {
    const fieldPath = closestField(issue.path);
    const lineMatch = /^lines\.(\d+)(\.|$)/.exec(issue.path);
    if (fieldPath !== undefined) {
      if (!sorted.fields.has(fieldPath)) {
        sorted.fields.set(fieldPath, fieldMessage(fieldPath, issue, isBlank(fieldPath)));
      }
    } else if (lineMatch?.[1] !== undefined) {
      const index = Number(lineMatch[1]);
      if (!sorted.lines.has(index)) {
        sorted.lines.set(index, lineMessage(issue));
      }
    } else {
      sorted.cart ??= cartMessage(issue);
    }
  }
  return sorted;
}

/** Field names that start the error messages of each field. */
const FIELD_SUBJECTS: Record<FieldPath, string> = {
  "customer.name": "Name",
  "customer.email": "E-mail address",
  "shippingAddress.line1": "Street and number",
  "shippingAddress.line2": "Apartment, suite or floor",
  "shippingAddress.postalCode": "Postal code",
  "shippingAddress.city": "City",
  "shippingAddress.region": "Region",
  "shippingAddress.country": "Country",
  promotionCode: "Promotion code",
};

/** Messages for required fields left blank. */
const BLANK_FIELD_MESSAGES: Partial<Record<FieldPath, string>> = {
  "customer.name": "Enter your full name.",
  "customer.email": "Enter your e-mail address.",
  "shippingAddress.line1": "Enter the street and house number.",
  "shippingAddress.postalCode": "Enter the postal code.",
  "shippingAddress.city": "Enter the city.",
  "shippingAddress.country": "Choose the country to ship to.",
};

/**
 * Turns a schema message such as "must not be empty" into a sentence for the shopper that names
 * the field. Rules without a friendlier phrasing here keep the schema's own words.
 */
export function fieldMessage(
  path: FieldPath,
  issue: Pick<FieldIssue, "code" | "message">,
  blankValue = false,
): string {
  const blank = blankValue || issue.code === "required" || issue.message === "must not be empty";
  const blankMessage = BLANK_FIELD_MESSAGES[path];
  if (blank && blankMessage !== undefined) {
    return blankMessage;
  }
  if (path === "customer.email" && issue.code === "invalid_format") {
    return "Enter an e-mail address like name@example.com.";
  }
  if (path === "shippingAddress.country") {
    return "Choose a country from the list; the store ships only there.";
  }
  return `${FIELD_SUBJECTS[path]} ${issue.message}.`;
}

function lineMessage(issue: Pick<FieldIssue, "path" | "message">): string {
  if (issue.path.endsWith(".quantity")) {
    return `Quantity ${issue.message}.`;
  }
  return `This item ${issue.message}.`;
}

function cartMessage(issue: Pick<FieldIssue, "path" | "code" | "message">): string {
  if (issue.path === "lines" && (issue.code === "too_small" || issue.code === "required")) {
    return "Your cart is empty. Add a product to place an order.";
  }
  if (issue.path === "lines") {
    return `The cart ${issue.message}.`;
  }
  return `The order ${issue.message}.`;
}

/** Maps `customer` or `shippingAddress.country.x` style paths onto the input they concern. */
function closestField(path: string): FieldPath | undefined {
  if (isFieldPath(path)) {
    return path;
  }
  return FIELD_PATHS.find((field) => path.startsWith(`${field}.`));
}

/** Reads a dotted path such as `customer.email` from a request; undefined when absent. */
function valueAt(request: unknown, path: string): unknown {
  let value: unknown = request;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
