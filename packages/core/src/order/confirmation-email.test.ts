import { describe, expect, it } from "vitest";
import { confirmationEmail, formatAmount } from "./confirmation-email.ts";
import type { Order } from "./order.ts";

describe("formatAmount", () => {
  it.each([
    [0, "0.00 EUR"],
    [5, "0.05 EUR"],
    [490, "4.90 EUR"],
    [3682, "36.82 EUR"],
    [123456789, "1234567.89 EUR"],
  ])("formats %i minor units as %s", (minorUnits, expected) => {
    expect(formatAmount(minorUnits, "EUR")).toBe(expected);
  });
});

describe("confirmationEmail", () => {
  const order: Order = {
    orderId: "01JEXAMPLE0000000000000000",
    status: "confirmed",
    createdAt: "2026-12-04T10:00:00.000Z",
    currency: "EUR",
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
    shippingAddress: {
      line1: "12 Analytical Street",
      city: "Berlin",
      postalCode: "10115",
      country: "DE",
    },
    lines: [
      {
        sku: "MUG-STONE-350",
        name: "Stoneware mug",
        quantity: 2,
        unitPrice: 1490,
        subtotal: 2980,
        discount: 298,
        tax: 510,
        total: 3192,
      },
    ],
    totals: { subtotal: 2980, discount: 298, shipping: 490, tax: 510, total: 3682 },
    promotionCode: "WELCOME10",
    notification: { status: "owed", email: "ada@example.com" },
    workflow: { executionName: "run-1", steps: [] },
  };

  it("addresses the customer and names the order", () => {
    const email = confirmationEmail(order);

    expect(email.to).toBe("ada@example.com");
    expect(email.subject).toContain(order.orderId);
    expect(email.text).toContain("Hello Ada Lovelace,");
  });

  it("lists the lines and totals to the cent", () => {
    const { text } = confirmationEmail(order);

    expect(text).toContain("2 x Stoneware mug (MUG-STONE-350)  31.92 EUR");
    expect(text).toContain("Discount  -2.98 EUR (WELCOME10)");
    expect(text).toContain("Total     36.82 EUR");
  });
});
