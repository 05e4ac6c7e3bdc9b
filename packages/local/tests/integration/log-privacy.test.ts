/**
 * What the offline stack logs while it serves hostile and ordinary requests: every function's
 * output and the API Gateway emulator's request lines. Neither may contain the shopper's name,
 * e-mail or street address, the access token or the Idempotency-Key.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrivateStack, startPrivateStack } from "../helpers/private-stack.ts";

const name = "Zelda Quartermain";
const email = "zelda.quartermain@example.net";
const street = "77 Privet Lane";

const order = (sku: string, quantity: number) => ({
  customer: { name, email },
  shippingAddress: { line1: street, city: "Hamburg", postalCode: "20095", country: "DE" },
  lines: [{ sku, quantity }],
});

const lines: string[] = [];
let privateStack: PrivateStack;
const secrets: Record<string, string> = { name, email, street };

async function post(path: string, body: string, key?: string): Promise<Response> {
  return fetch(`${privateStack.stack.apiUrl}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(key === undefined ? {} : { "idempotency-key": key }),
    },
    body,
  });
}

beforeAll(async () => {
  privateStack = await startPrivateStack({
    log: (line) => lines.push(line),
    onFunctionLog: (functionName, line) => lines.push(`${functionName} ${line}`),
  });
});

afterAll(async () => {
  await privateStack?.stop();
});

describe("stack logs under hostile requests", () => {
  it("contain no personal data, token or key", async () => {
    // Prepare
    const key = randomUUID();
    secrets.key = key;
    const valid = JSON.stringify(order("MUG-STONE-350", 1));

    // Act
    const placed = await post("/orders", valid, key);
    const created = await placed.json();
    secrets.accessToken = created.accessToken;
    const answers = [
      placed.status,
      (await post("/orders", valid, key)).status,
      (await post("/orders", JSON.stringify(order("MUG-STONE-350", 2)), key)).status,
      (await post("/orders", JSON.stringify(order("COF-BRA-1000", 99)), randomUUID())).status,
      (await post("/orders", JSON.stringify(order("NOT-IN-CATALOG-1", 1)))).status,
      (await post("/orders", JSON.stringify({ ...order("MUG-STONE-350", 1), [email]: street })))
        .status,
      (await post("/orders", `{"customer":{"name":"${name}","email":"${email}"`)).status,
      (await post("/quotes", valid)).status,
    ];
    for (const authorization of [`Bearer ${created.accessToken}`, `Bearer ${email}`]) {
      const response = await fetch(
        `${privateStack.stack.apiUrl}/orders/${created.orderId}?email=${email}`,
        { headers: { authorization } },
      );
      answers.push(response.status);
    }

    // Assess
    expect(answers).toEqual([201, 201, 422, 409, 422, 422, 400, 200, 200, 404]);
    expect(lines.filter((line) => line.includes(created.orderId)).length).toBeGreaterThan(4);
    for (const [label, secret] of Object.entries(secrets)) {
      expect(
        lines.filter((line) => line.includes(secret)),
        `log lines with the ${label}`,
      ).toEqual([]);
    }
  });
});
