import { describe, expect, it } from "vitest";
import {
  buildOrderRequest,
  emptyFormValues,
  type FormValues,
  sortIssues,
  validateOrderRequest,
} from "./checkout-form.ts";

function filledForm(overrides: Partial<FormValues> = {}): FormValues {
  return {
    ...emptyFormValues(),
    "customer.name": "Ada Lovelace",
    "customer.email": "ada@example.com",
    "shippingAddress.line1": "12 Analytical Street",
    "shippingAddress.postalCode": "10115",
    "shippingAddress.city": "Berlin",
    "shippingAddress.country": "DE",
    ...overrides,
  };
}

const oneMug = [{ sku: "MUG-STONE-350", quantity: 2 }];

describe("buildOrderRequest", () => {
  it("trims values and leaves out blank optional fields", () => {
    const request = buildOrderRequest(filledForm({ "customer.name": "  Ada Lovelace " }), oneMug);

    expect(request).toEqual({
      customer: { name: "Ada Lovelace", email: "ada@example.com" },
      shippingAddress: {
        line1: "12 Analytical Street",
        city: "Berlin",
        postalCode: "10115",
        country: "DE",
      },
      lines: oneMug,
    });
  });

  it("upper-cases the promotion code and keeps optional address lines", () => {
    const request = buildOrderRequest(
      filledForm({
        promotionCode: " welcome10 ",
        "shippingAddress.line2": "Flat 3",
        "shippingAddress.region": "BE",
      }),
      oneMug,
    );

    expect(request.promotionCode).toBe("WELCOME10");
    expect(request.shippingAddress.line2).toBe("Flat 3");
    expect(request.shippingAddress.region).toBe("BE");
  });
});

describe("validateOrderRequest", () => {
  it("accepts a complete request", () => {
    const result = validateOrderRequest(buildOrderRequest(filledForm(), oneMug));

    expect(result.valid).toBe(true);
    expect(result.fields.size).toBe(0);
  });

  it.each([
    ["customer.email", "ada.example.com", "Enter an e-mail address like name@example.com."],
    ["customer.email", "", "Enter your e-mail address."],
    ["customer.name", "   ", "Enter your full name."],
    ["shippingAddress.city", "", "Enter the city."],
    ["shippingAddress.country", "", "Choose the country to ship to."],
    [
      "shippingAddress.country",
      "US",
      "Choose a country from the list; the store ships only there.",
    ],
    [
      "shippingAddress.postalCode",
      "10115!",
      "Postal code must be letters and digits, with spaces or hyphens only between them.",
    ],
    [
      "promotionCode",
      "WELCOME-10",
      "Promotion code must be upper-case letters and digits, such as WELCOME10.",
    ],
  ] as const)("puts the error for %s = %j next to its field", (path, value, message) => {
    const result = validateOrderRequest(buildOrderRequest(filledForm({ [path]: value }), oneMug));

    expect(result.valid).toBe(false);
    expect(result.fields.get(path)).toBe(message);
  });

  it("reports an empty cart on the cart", () => {
    const result = validateOrderRequest(buildOrderRequest(filledForm(), []));

    expect(result.cart).toBe("Your cart is empty. Add a product to place an order.");
    expect(result.fields.size).toBe(0);
  });
});

describe("sortIssues", () => {
  it("sorts API field errors onto fields, lines and the cart", () => {
    const result = sortIssues([
      { path: "customer.email", code: "invalid_format", message: "must be an e-mail address" },
      { path: "lines.1.quantity", code: "too_big", message: "must be at most 99" },
      { path: "lines", code: "too_big", message: "must contain at most 50 items" },
    ]);

    expect(result.fields.get("customer.email")).toBe(
      "Enter an e-mail address like name@example.com.",
    );
    expect(result.lines.get(1)).toBe("Quantity must be at most 99.");
    expect(result.cart).toBe("The cart must contain at most 50 items.");
  });
});
