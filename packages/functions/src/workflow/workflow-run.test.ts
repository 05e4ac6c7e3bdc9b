/**
 * Runs the deployed state machine definition in-process with aws-local-stepfunctions. Each Task
 * is replaced by a local function that behaves like the step's Lambda, including how Lambda
 * reports a thrown error (`errorType` from the error's name, `errorMessage` from its message).
 */
import {
  type DomainError,
  domainErrorFromCause,
  OutOfStockError,
  UnknownProductError,
  WorkflowTimeoutError,
} from "@orderflow/core/errors";
import { largestOrderRequest } from "@orderflow/core/order/largest-request";
import type { Order } from "@orderflow/core/order/order";
import { type OrderRequest, parseOrderRequest } from "@orderflow/core/order/request";
import { priceOrder } from "@orderflow/core/pricing/price";
import { orderWorkflowDefinition } from "@orderflow/core/workflow/definition";
import { executionNameFromArn } from "@orderflow/core/workflow/execution-name";
import type {
  NotifyInput,
  OrderWorkflowInput,
  PersistInput,
  PriceInput,
  ValidateInput,
  WorkflowStep,
} from "@orderflow/core/workflow/messages";
import { orderFromExecution, WorkflowFailedError } from "@orderflow/core/workflow/outcome";
import { ExecutionError, StateMachine } from "aws-local-stepfunctions";
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../shared/http.ts";

const taskArns: Record<WorkflowStep, string> = {
  Validate: "arn:aws:lambda:eu-central-1:123456789012:function:ValidateOrder",
  Price: "arn:aws:lambda:eu-central-1:123456789012:function:PriceOrder",
  Persist: "arn:aws:lambda:eu-central-1:123456789012:function:PersistOrder",
  Notify: "arn:aws:lambda:eu-central-1:123456789012:function:NotifyOrder",
};

const executionArn = "arn:aws:states:eu-central-1:123456789012:express:OrderWorkflow:run:1";

/** Builds the error a Task state gets from a Lambda that threw, serialised as Lambda does. */
function lambdaError(errorType: string, errorMessage: string): Error {
  const error = new Error(JSON.stringify({ errorType, errorMessage }));
  error.name = errorType;
  return error;
}

function fromDomainError(error: DomainError): Error {
  return lambdaError(error.name, error.message);
}

const step = (name: WorkflowStep) => ({
  name,
  startedAt: "2026-12-04T10:00:00.000Z",
  durationMs: 1,
});

function smallRequest(): OrderRequest {
  return parseOrderRequest({
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
    shippingAddress: {
      line1: "12 Analytical Street",
      city: "Berlin",
      postalCode: "10115",
      country: "DE",
    },
    lines: [{ sku: "MUG-STONE-350", quantity: 2 }],
  });
}

function workflowInput(request: unknown): OrderWorkflowInput {
  return {
    orderId: "01JEXAMPLE0000000000000000",
    accessTokenHash: "f".repeat(64),
    idempotencyRecordId: "e".repeat(64),
    request,
    receivedAt: "2026-12-04T10:00:00.000Z",
  };
}

/** Step implementations that behave like the real ones without AWS. */
function happySteps() {
  const persisted: Order[] = [];
  const calls: Record<WorkflowStep, unknown[]> = {
    Validate: [],
    Price: [],
    Persist: [],
    Notify: [],
  };

  const steps = {
    Validate: async (input: ValidateInput) => {
      calls.Validate.push(input);
      return {
        request: parseOrderRequest(input.request),
        step: step("Validate"),
        extra: "dropped",
      };
    },
    Price: async (input: PriceInput) => {
      calls.Price.push(input);
      const pricing = priceOrder({
        lines: input.request.lines.map((line) => ({
          ...line,
          name: "Stoneware mug",
          unitPrice: 1490,
        })),
        country: input.request.shippingAddress.country,
        now: new Date(input.receivedAt),
      });
      if (input.request.promotionCode !== undefined) {
        pricing.promotionCode = input.request.promotionCode;
      }
      return { pricing, step: step("Price") };
    },
    Persist: async (input: PersistInput) => {
      calls.Persist.push(input);
      const existing = persisted.find((order) => order.orderId === input.orderId);
      if (existing) {
        return existing;
      }
      const order: Order = {
        orderId: input.orderId,
        status: "confirmed",
        createdAt: "2026-12-04T10:00:00.000Z",
        currency: input.pricing.currency,
        customer: input.request.customer,
        shippingAddress: input.request.shippingAddress,
        lines: input.pricing.lines,
        totals: input.pricing.totals,
        notification: { status: "owed", email: input.request.customer.email },
        workflow: {
          executionName: executionNameFromArn(input.executionArn),
          steps: [...input.steps, step("Persist")],
        },
      };
      persisted.push(order);
      return order;
    },
    Notify: async (input: NotifyInput) => {
      calls.Notify.push(input);
      return {
        ...input.order,
        notification: { ...input.order.notification, status: "sent" as const },
        workflow: {
          ...input.order.workflow,
          steps: [...input.order.workflow.steps, step("Notify")],
        },
      };
    },
  };
  return { steps, calls, persisted };
}

type Steps = ReturnType<typeof happySteps>["steps"];

type RunEvent = { type: string; state?: { name: string; input: unknown; output?: unknown } };

interface RunResult {
  status: "SUCCEEDED" | "FAILED";
  output?: Order;
  error?: string;
  cause?: string;
  events: RunEvent[];
}

/** Converts a run to the shape StartSyncExecution returns, with the output as JSON text. */
function asSyncResult(result: RunResult) {
  return {
    status: result.status,
    output: result.output === undefined ? undefined : JSON.stringify(result.output),
    error: result.error,
    cause: result.cause,
  };
}

async function run(steps: Steps, input: OrderWorkflowInput): Promise<RunResult> {
  const machine = new StateMachine(orderWorkflowDefinition(taskArns) as never, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: steps as never,
      retryIntervalOverrides: { Validate: 0, Price: 0, Persist: 0, Notify: 0 },
    },
    context: { Execution: { Id: executionArn, Name: "run" } },
  });
  const events: RunEvent[] = [];
  const recording = (async () => {
    for await (const event of execution.eventLogs) {
      events.push(event as RunEvent);
    }
  })();
  try {
    const output = (await execution.result) as unknown as Order;
    return { status: "SUCCEEDED" as const, output, events };
  } catch (error) {
    // Like StartSyncExecution, report the Fail state's Error and Cause.
    const failure = error instanceof ExecutionError ? (error.cause as Error) : (error as Error);
    return { status: "FAILED" as const, error: failure.name, cause: failure.message, events };
  } finally {
    await recording;
  }
}

describe("order workflow run", () => {
  it("succeeds with the notified order as output", async () => {
    const { steps } = happySteps();

    const result = await run(steps, workflowInput(smallRequest()));

    expect(result.status).toBe("SUCCEEDED");
    expect(result.output?.orderId).toBe("01JEXAMPLE0000000000000000");
    expect(result.output?.notification.status).toBe("sent");
    expect(result.output?.workflow.steps.map((entry) => entry.name)).toEqual([
      "Validate",
      "Price",
      "Persist",
      "Notify",
    ]);
  });

  it("passes Persist the ids, both step timings and the execution ARN", async () => {
    const { steps, calls } = happySteps();

    await run(steps, workflowInput(smallRequest()));

    const persistInput = calls.Persist[0] as PersistInput;
    expect(persistInput.orderId).toBe("01JEXAMPLE0000000000000000");
    expect(persistInput.idempotencyRecordId).toBe("e".repeat(64));
    expect(persistInput.executionArn).toBe(executionArn);
    expect(persistInput.steps.map((entry) => entry.name)).toEqual(["Validate", "Price"]);
  });

  it.each(["Validate", "Price", "Persist"] as const)(
    "passes %s the order id and execution ARN to log with",
    async (name) => {
      const { steps, calls } = happySteps();

      await run(steps, workflowInput(smallRequest()));

      expect(calls[name][0]).toMatchObject({
        orderId: "01JEXAMPLE0000000000000000",
        executionArn,
      });
    },
  );

  it("passes Notify the execution ARN to log with", async () => {
    const { steps, calls } = happySteps();

    await run(steps, workflowInput(smallRequest()));

    const notifyInput = calls.Notify[0] as NotifyInput;
    expect(notifyInput.executionArn).toBe(executionArn);
    expect(notifyInput.order.orderId).toBe("01JEXAMPLE0000000000000000");
    expect(notifyInput.order.workflow.executionName).toBe("run");
  });

  it("keeps only selected fields of a step's result", async () => {
    const { steps } = happySteps();

    const result = await run(steps, workflowInput(smallRequest()));

    const priceEntered = result.events.find(
      (event) => event.type === "StateEntered" && event.state?.name === "Price",
    );
    expect(JSON.stringify(priceEntered)).not.toContain("dropped");
  });

  it.each([
    ["Validate", new UnknownProductError(["NOPE-1"])],
    ["Price", new UnknownProductError(["NOPE-2"])],
    ["Persist", new OutOfStockError([{ sku: "MUG-STONE-350", requested: 2, available: 1 }])],
  ] as const)("ends FAILED with the domain error thrown by %s", async (name, domainError) => {
    // Prepare
    const { steps, calls } = happySteps();
    steps[name] = async () => {
      throw fromDomainError(domainError);
    };

    // Act
    const result = await run(steps, workflowInput(smallRequest()));

    // Assess
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe(domainError.name);
    expect(domainErrorFromCause(result.cause)?.toJSON()).toEqual(domainError.toJSON());
    expect(calls.Notify).toHaveLength(0);
  });

  it("maps a rejected run to the domain error for the API", async () => {
    const { steps } = happySteps();
    const shortage = new OutOfStockError([{ sku: "MUG-STONE-350", requested: 2, available: 0 }]);
    steps.Persist = async () => {
      throw fromDomainError(shortage);
    };

    const result = await run(steps, workflowInput(smallRequest()));

    expect(() => orderFromExecution(asSyncResult(result))).toThrow(OutOfStockError);
  });

  it("maps a failure that is not a domain error to WorkflowFailedError", async () => {
    const { steps } = happySteps();
    steps.Validate = async () => {
      throw lambdaError("TypeError", "Cannot read properties of undefined");
    };

    const result = await run(steps, workflowInput(smallRequest()));

    expect(result.status).toBe("FAILED");
    expect(() => orderFromExecution(asSyncResult(result))).toThrow(WorkflowFailedError);
  });

  it("keeps the order confirmed when Notify fails", async () => {
    // Prepare
    const { steps } = happySteps();
    steps.Notify = async () => {
      throw lambdaError("MessageRejected", "Email address is not verified");
    };

    // Act
    const result = await run(steps, workflowInput(smallRequest()));

    // Assess
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output?.status).toBe("confirmed");
    expect(result.output?.notification.status).toBe("owed");
  });

  it.each([
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
  ])("retries a step after %s", async (errorType) => {
    // Prepare
    const { steps, calls } = happySteps();
    const price = steps.Price;
    let failures = 0;
    steps.Price = async (input) => {
      if (failures === 0) {
        failures++;
        calls.Price.push(input);
        throw lambdaError(errorType, "Service unavailable");
      }
      return price(input);
    };

    // Act
    const result = await run(steps, workflowInput(smallRequest()));

    // Assess
    expect(result.status).toBe("SUCCEEDED");
    expect(calls.Price).toHaveLength(2);
  });

  it("succeeds once with the first order when Persist times out after writing", async () => {
    // Prepare
    const { steps, calls, persisted } = happySteps();
    const persist = steps.Persist;
    steps.Persist = async (input) => {
      const order = await persist(input);
      if (calls.Persist.length === 1) {
        throw lambdaError("Sandbox.Timedout", "Task timed out after 10.00 seconds");
      }
      return order;
    };

    // Act
    const result = await run(steps, workflowInput(smallRequest()));

    // Assess
    expect(result.status).toBe("SUCCEEDED");
    expect(calls.Persist).toHaveLength(2);
    expect(persisted).toHaveLength(1);
    expect(result.output?.orderId).toBe(persisted[0]?.orderId);
  });

  it("does not retry Notify after a timeout", async () => {
    const { steps, calls } = happySteps();
    steps.Notify = async (input) => {
      calls.Notify.push(input);
      throw lambdaError("Sandbox.Timedout", "Task timed out after 10.00 seconds");
    };

    const result = await run(steps, workflowInput(smallRequest()));

    expect(result.status).toBe("SUCCEEDED");
    expect(calls.Notify).toHaveLength(1);
  });
});

describe("largest valid order", () => {
  // A quarter of Step Functions' 256 KiB limit on a state's input and output.
  const stateBudgetBytes = 64 * 1024;

  it("fits the request body limit even with every character escaped", () => {
    const escaped = JSON.stringify(largestOrderRequest(), null, 2).replace(
      /[^\x20-\x7e\n]/g,
      (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );

    expect(Buffer.byteLength(escaped, "utf8")).toBeLessThanOrEqual(MAX_BODY_BYTES);
  });

  it("keeps every state's input and output within the budget", async () => {
    // Prepare
    const { steps } = happySteps();
    const request = parseOrderRequest(largestOrderRequest());

    // Act
    const result = await run(steps, workflowInput(request));

    // Assess
    expect(result.status).toBe("SUCCEEDED");
    const sizes = result.events.flatMap((event) =>
      event.state !== undefined
        ? [
            Buffer.byteLength(JSON.stringify(event.state.input), "utf8"),
            Buffer.byteLength(JSON.stringify(event.state.output ?? null), "utf8"),
          ]
        : [],
    );
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(stateBudgetBytes);
  });
});

describe("orderFromExecution", () => {
  it("maps TIMED_OUT to WorkflowTimeoutError", () => {
    expect(() => orderFromExecution({ status: "TIMED_OUT" })).toThrow(WorkflowTimeoutError);
  });
});
