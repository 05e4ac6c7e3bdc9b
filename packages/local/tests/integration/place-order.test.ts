import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type StackState, sharedStackState } from "../helpers/stack-state.ts";

const sku = "TEA-ASSAM-250";
const quantity = 2;

const orderRequest = {
  customer: { name: "Ada Lovelace", email: "ada@example.com" },
  shippingAddress: {
    line1: "12 Analytical Street",
    city: "Berlin",
    postalCode: "10115",
    country: "DE",
  },
  lines: [{ sku, quantity }],
};

interface OrderBody {
  orderId: string;
  accessToken?: string;
  status: string;
  currency: string;
  lines: Array<Record<string, unknown>>;
  totals: Record<string, number>;
  notification: { status: string };
  workflow: { executionName: string; steps: Array<{ name: string }> };
}

let apiUrl: string;
let state: StackState;

beforeAll(() => {
  apiUrl = inject("apiUrl");
  state = sharedStackState();
});

afterAll(() => {
  state.destroy();
});

describe("placing an order end to end", () => {
  let stockBefore: number;
  let placed: Response;
  let order: OrderBody;

  beforeAll(async () => {
    stockBefore = await state.stockOf(sku);
    placed = await fetch(`${apiUrl}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": randomUUID() },
      body: JSON.stringify(orderRequest),
    });
    order = (await placed.json()) as OrderBody;
  });

  it("returns 201 with lines and totals", () => {
    expect(placed.status).toBe(201);
    expect(placed.headers.get("content-type")).toMatch(/^application\/json/);
    expect(placed.headers.get("location")).toBe(`/orders/${order.orderId}`);
    expect(order.orderId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(order.accessToken).toEqual(expect.any(String));
    expect(order.status).toBe("confirmed");
    expect(order.currency).toBe("EUR");
    expect(order.lines).toHaveLength(1);
    expect(order.lines[0]).toMatchObject({ sku, quantity });
    expect(order.notification.status).toBe("sent");
  });

  it("adds totals in integer minor units", () => {
    const { subtotal, discount, shipping, tax, total } = order.totals;

    for (const amount of [subtotal, discount, shipping, tax, total]) {
      expect(Number.isInteger(amount)).toBe(true);
    }
    expect(subtotal).toBe(order.lines[0]?.subtotal);
    expect(total).toBe((subtotal ?? 0) - (discount ?? 0) + (shipping ?? 0) + (tax ?? 0));
  });

  it("names the workflow run without its ARN", async () => {
    const stored = await state.findOrder(order.orderId);

    expect(stored?.executionArn).toMatch(/^arn:aws:states:/);
    expect(stored?.executionArn.split(":")).toContain(order.workflow.executionName);
    expect(order.workflow.executionName).not.toContain(":");
    expect(JSON.stringify(order)).not.toContain("arn:aws:states:");
  });

  it("runs the workflow steps in order", () => {
    expect(order.workflow.steps.map((step) => step.name)).toEqual([
      "Validate",
      "Price",
      "Persist",
      "Notify",
    ]);
  });

  it("returns the order to the token holder", async () => {
    const response = await fetch(`${apiUrl}/orders/${order.orderId}`, {
      headers: { authorization: `Bearer ${order.accessToken}` },
    });
    const fetched = (await response.json()) as OrderBody;

    expect(response.status).toBe(200);
    const { accessToken: _token, ...expected } = order;
    expect(fetched).toEqual(expected);
    expect(fetched).not.toHaveProperty("accessToken");
  });

  it.each([
    { case: "no token", headers: {} as Record<string, string> },
    { case: "a wrong token", headers: { authorization: "Bearer wrong-token" } },
  ])("returns 404 for $case", async ({ headers }) => {
    const response = await fetch(`${apiUrl}/orders/${order.orderId}`, { headers });

    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("stores the order without the token", async () => {
    const stored = await state.findOrder(order.orderId);

    expect(stored).not.toBeNull();
    expect(stored?.status).toBe("confirmed");
    expect(stored?.notificationStatus).toBe("sent");
    expect(stored?.totals).toEqual(order.totals);
    expect(JSON.stringify(stored)).not.toContain(order.accessToken);
  });

  it("decrements stock by the quantity", async () => {
    const stockAfter = await state.stockOf(sku);

    expect(stockAfter).toBe(stockBefore - quantity);
  });

  it("sends one confirmation e-mail", async () => {
    const emails = await state.emailsMentioning(order.orderId);

    expect(emails).toHaveLength(1);
    expect(emails[0]?.to).toEqual([orderRequest.customer.email]);
    expect(emails[0]?.subject).toContain(order.orderId);
  });

  it("keeps secrets out of the e-mail", async () => {
    const [email] = await state.emailsMentioning(order.orderId);
    const stored = await state.findOrder(order.orderId);
    const text = JSON.stringify([email?.subject, email?.text, email?.html]);

    expect(text).not.toContain(order.accessToken);
    expect(text).not.toContain(String(stored?.accessTokenHash));
    expect(text).not.toContain("arn:aws:");
    expect(text).not.toMatch(/undefined|NaN|\[object Object\]/);
  });
});

describe("catalog", () => {
  it("lists the seeded products", async () => {
    const response = await fetch(`${apiUrl}/products`);
    const body = (await response.json()) as {
      currency: string;
      products: Array<{ sku: string; unitPrice: number; stock: number }>;
    };

    expect(response.status).toBe(200);
    expect(body.currency).toBe("EUR");
    expect(body.products.length).toBeGreaterThanOrEqual(12);
    expect(body.products.map((product) => product.sku)).toContain(sku);
  });
});
