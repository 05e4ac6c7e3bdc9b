import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  buildWorkflowDefinition,
  type WorkflowFunctionName,
  workflowFunctionNames,
} from "../../../../stacks/workflow-definition.ts";
import { type PrivateStack, startPrivateStack } from "../helpers/private-stack.ts";

const validateAsl = createRequire(import.meta.url)("asl-validator") as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errors: unknown[] };

const customer = { name: "Grace Hopper", email: "grace@example.com" };
const shippingAddress = {
  line1: "1 Compiler Way",
  city: "Hamburg",
  postalCode: "20095",
  country: "DE",
};

interface PlacedOrder {
  status: number;
  body: {
    orderId?: string;
    code?: string;
    detail?: string;
    notification?: { status: string };
    workflow?: { executionName: string };
  };
  text: string;
}

let privateStack: PrivateStack;
let sfn: SFNClient;

beforeAll(async () => {
  privateStack = await startPrivateStack();
  sfn = new SFNClient({
    endpoint: privateStack.stack.stepFunctionsUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    disableHostPrefix: true,
  });
});

afterAll(async () => {
  sfn?.destroy();
  await privateStack?.stop();
});

beforeEach(() => {
  privateStack.faults.clear();
});

async function placeOrder(sku: string, quantity: number): Promise<PlacedOrder> {
  const response = await fetch(`${privateStack.stack.apiUrl}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": randomUUID() },
    body: JSON.stringify({ customer, shippingAddress, lines: [{ sku, quantity }] }),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text };
}

/** Event types of the run that placed the order, found through the ARN the order item keeps. */
async function historyTypes(orderId: string | undefined): Promise<string[]> {
  const executionArn = (await privateStack.state.findOrder(orderId ?? ""))?.executionArn;
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return (history.events ?? []).map((event) => event.type ?? "");
}

describe("workflow under injected faults", () => {
  it.each([
    { fn: "ValidateOrder", fault: { kind: "throttle" }, expectedError: "TooManyRequests" },
    { fn: "PriceOrder", fault: { kind: "fail-before" }, expectedError: "ServiceException" },
  ] as const)("retries a transient $expectedError of $fn", async ({ fn, fault }) => {
    // Prepare
    privateStack.faults.arm(fn, fault);

    // Act
    const placed = await placeOrder("FILTER-V60-100", 1);

    // Assess
    expect(placed.status).toBe(201);
    expect(privateStack.faults.pending(fn)).toBe(0);
    const types = await historyTypes(placed.body.orderId);
    expect(types.filter((type) => type === "LambdaFunctionFailed")).toHaveLength(1);
    expect(types.at(-1)).toBe("ExecutionSucceeded");
  });

  it("stores once when persist's response is lost", async () => {
    // Prepare
    const sku = "MUG-ENAMEL-300";
    const stockBefore = await privateStack.state.stockOf(sku);
    const ordersBefore = await privateStack.state.countOrders();
    privateStack.faults.arm("PersistOrder", { kind: "fail-after" });

    // Act
    const placed = await placeOrder(sku, 3);

    // Assess
    expect(placed.status).toBe(201);
    expect(await privateStack.state.countOrders()).toBe(ordersBefore + 1);
    expect(await privateStack.state.stockOf(sku)).toBe(stockBefore - 3);
    expect(await privateStack.state.findOrder(placed.body.orderId ?? "")).not.toBeNull();
  });

  it("stores once when persist times out after writing", async () => {
    // Prepare
    const sku = "TEA-SENCHA-100";
    const stockBefore = await privateStack.state.stockOf(sku);
    const ordersBefore = await privateStack.state.countOrders();
    privateStack.faults.arm("PersistOrder", { kind: "timeout" });

    // Act
    const placed = await placeOrder(sku, 2);

    // Assess
    expect(placed.status).toBe(201);
    expect(await privateStack.state.countOrders()).toBe(ordersBefore + 1);
    expect(await privateStack.state.stockOf(sku)).toBe(stockBefore - 2);
    const types = await historyTypes(placed.body.orderId);
    expect(types).toContain("LambdaFunctionTimedOut");
  });

  it("keeps the order confirmed when the e-mail fails", async () => {
    // Prepare
    privateStack.faults.arm(
      "NotifyOrder",
      { kind: "fail-before", errorType: "Error", errorMessage: "SES is down" },
      10,
    );

    // Act
    const placed = await placeOrder("COF-ETH-250", 1);

    // Assess
    expect(placed.status).toBe(201);
    expect(placed.body.notification?.status).toBe("owed");
    const stored = await privateStack.state.findOrder(placed.body.orderId ?? "");
    expect(stored?.status).toBe("confirmed");
    expect(stored?.notificationStatus).toBe("owed");
    expect(await privateStack.state.emailsMentioning(placed.body.orderId ?? "")).toHaveLength(0);
  });

  it("returns 500 without the failure cause", async () => {
    // Prepare
    const ordersBefore = await privateStack.state.countOrders();
    privateStack.faults.arm(
      "ValidateOrder",
      { kind: "fail-before", errorMessage: "internal detail 7f3a" },
      10,
    );

    // Act
    const placed = await placeOrder("COF-BRA-1000", 1);

    // Assess
    expect(placed.status).toBe(500);
    expect(placed.text).not.toContain("internal detail 7f3a");
    expect(placed.text).not.toContain("Lambda.ServiceException");
    expect(await privateStack.state.countOrders()).toBe(ordersBefore);
  });

  it("returns 504 when the run times out", async () => {
    // Prepare: three steps that each first time out after 10 s outlast the 25 s workflow limit.
    for (const fn of ["ValidateOrder", "PriceOrder", "PersistOrder"] as const) {
      privateStack.faults.arm(fn, { kind: "timeout" });
    }

    // Act
    const placed = await placeOrder("CANISTER-TIN-500", 1);

    // Assess
    expect(placed.status).toBe(504);
    expect(placed.body.code).toBe("timeout");
    const timedOut = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: privateStack.stack.stateMachineArn,
        statusFilter: "TIMED_OUT",
      }),
    );
    expect(timedOut.executions).toHaveLength(1);
  });
});

describe("workflow rejections", () => {
  it("returns 409 and keeps the stock", async () => {
    // Prepare
    const sku = "KETTLE-GOOSE-1000";
    const stockBefore = await privateStack.state.stockOf(sku);

    // Act
    const placed = await placeOrder(sku, stockBefore + 1);

    // Assess
    expect(placed.status).toBe(409);
    expect(placed.body.code).toBe("out_of_stock");
    expect(await privateStack.state.stockOf(sku)).toBe(stockBefore);
  });

  it("returns 422 for an unknown SKU", async () => {
    // Act
    const placed = await placeOrder("NOT-A-PRODUCT", 1);

    // Assess
    expect(placed.status).toBe(422);
    expect(placed.body.code).toBe("unknown_product");
  });
});

describe("state machine definition", () => {
  it("equals the definition the stacks deploy", () => {
    // Prepare
    const functionArns = Object.fromEntries(
      workflowFunctionNames().map((name) => [name, privateStack.stack.runner.arnOf(name)]),
    ) as Record<WorkflowFunctionName, string>;
    const [running] = privateStack.stack.executions.stateMachines;

    // Act
    const deployed = buildWorkflowDefinition(functionArns);

    // Assess
    expect(running?.arn).toBe(privateStack.stack.stateMachineArn);
    expect(running?.definition).toEqual(deployed);
  });

  it("passes asl-validator with paths and ARNs checked", () => {
    // Prepare
    const [running] = privateStack.stack.executions.stateMachines;

    // Act
    const result = validateAsl(running?.definition, { checkPaths: true, checkArn: true });

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });
});
