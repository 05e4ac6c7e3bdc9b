import { createRequire } from "node:module";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { WorkflowStep as ManifestWorkflowStep } from "../../../../stacks/manifest.ts";
import { workflow } from "../../../../stacks/manifest.ts";
import {
  DOMAIN_ERROR_NAMES,
  IdempotencyKeyInUseError,
  InvalidPromotionError,
  OutOfStockError,
  UnknownProductError,
  ValidationError,
} from "../errors/domain-errors.ts";
import type { State, TaskState } from "./asl.ts";
import {
  orderWorkflowDefinition,
  TASK_TIMEOUT_ERRORS,
  TASK_TIMEOUT_SECONDS,
  TRANSIENT_LAMBDA_ERRORS,
  WORKFLOW_DOMAIN_ERRORS,
  WORKFLOW_TIMEOUT_SECONDS,
} from "./definition.ts";
import { WORKFLOW_STEPS, type WorkflowStep } from "./messages.ts";

type ValidationResult = { isValid: boolean; errors: unknown[] };
const validateAsl = createRequire(import.meta.url)("asl-validator") as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => ValidationResult;

const taskArns: Record<WorkflowStep, string> = {
  Validate: "arn:aws:lambda:eu-central-1:123456789012:function:orderflow-ValidateOrder",
  Price: "arn:aws:lambda:eu-central-1:123456789012:function:orderflow-PriceOrder",
  Persist: "arn:aws:lambda:eu-central-1:123456789012:function:orderflow-PersistOrder",
  Notify: "arn:aws:lambda:eu-central-1:123456789012:function:orderflow-NotifyOrder",
};

function tasks() {
  const definition = orderWorkflowDefinition(taskArns);
  return WORKFLOW_STEPS.map((name) => [name, definition.States[name] as TaskState] as const);
}

describe("orderWorkflowDefinition", () => {
  it("passes asl-validator with path and ARN checks", () => {
    // Prepare: the validator annotates the object it checks, so it gets a copy.
    const definition = structuredClone(orderWorkflowDefinition(taskArns));

    // Act
    const result = validateAsl(definition, { checkPaths: true, checkArn: true });

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it("uses the manifest's workflow steps", () => {
    expectTypeOf<WorkflowStep>().toEqualTypeOf<ManifestWorkflowStep>();
    expect([...WORKFLOW_STEPS]).toEqual(Object.keys(workflow.steps));
  });

  it("chains Validate, Price, Persist, Notify and Done", () => {
    const definition = orderWorkflowDefinition(taskArns);

    const path: string[] = [];
    let current: string | undefined = definition.StartAt;
    while (current !== undefined) {
      path.push(current);
      const state: State | undefined = definition.States[current];
      current = state && "Next" in state ? state.Next : undefined;
    }

    expect(path).toEqual(["Validate", "Price", "Persist", "Notify", "Done"]);
    expect(definition.States.Done?.Type).toBe("Succeed");
  });

  it.each(tasks())("points %s at its own function", (name, state) => {
    expect(state.Type).toBe("Task");
    expect(state.Resource).toBe(taskArns[name]);
  });

  it.each(tasks())("gives %s a timeout", (_name, state) => {
    expect(state.TimeoutSeconds).toBe(TASK_TIMEOUT_SECONDS);
  });

  it.each(tasks())(
    "retries %s on Lambda's transient errors with capped full jitter",
    (_, state) => {
      const retrier = state.Retry?.find((entry) =>
        entry.ErrorEquals.includes("Lambda.ServiceException"),
      );

      expect(retrier?.ErrorEquals).toEqual([...TRANSIENT_LAMBDA_ERRORS]);
      expect(retrier?.JitterStrategy).toBe("FULL");
      expect(retrier?.BackoffRate).toBeGreaterThan(1);
      expect(retrier?.MaxDelaySeconds).toBeGreaterThan(0);
      expect(retrier?.MaxAttempts).toBeGreaterThan(0);
    },
  );

  it.each([
    ["Validate", true],
    ["Price", true],
    ["Persist", true],
    ["Notify", false],
  ] as const)("retries %s after a timeout: %s", (name, retried) => {
    const state = orderWorkflowDefinition(taskArns).States[name] as TaskState;

    const timeoutRetrier = state.Retry?.find((entry) =>
      TASK_TIMEOUT_ERRORS.every((error) => entry.ErrorEquals.includes(error)),
    );

    expect(timeoutRetrier !== undefined).toBe(retried);
  });

  it.each(["Validate", "Price", "Persist"] as const)(
    "sends domain errors from %s to the Fail state",
    (name) => {
      const definition = orderWorkflowDefinition(taskArns);
      const state = definition.States[name] as TaskState;

      const catcher = state.Catch?.[0];

      expect(catcher?.ErrorEquals).toEqual([...WORKFLOW_DOMAIN_ERRORS]);
      expect(catcher?.Next).toBe("Rejected");
      expect(definition.States.Rejected).toMatchObject({
        Type: "Fail",
        ErrorPath: `${catcher?.ResultPath}.Error`,
        CausePath: `${catcher?.ResultPath}.Cause`,
      });
    },
  );

  it("lets a failed Notify end the run successfully", () => {
    const state = orderWorkflowDefinition(taskArns).States.Notify as TaskState;

    expect(state.Catch).toEqual([
      { ErrorEquals: ["States.ALL"], ResultPath: "$.notifyError", Next: "Done" },
    ]);
  });

  it("limits the run to less than the PlaceOrder timeout", () => {
    const definition = orderWorkflowDefinition(taskArns);

    expect(definition.TimeoutSeconds).toBe(WORKFLOW_TIMEOUT_SECONDS);
    expect(WORKFLOW_TIMEOUT_SECONDS).toBeLessThan(29);
  });
});

describe("workflow domain errors", () => {
  it.each([
    ["ValidationError", new ValidationError([{ path: "lines", code: "too_small", message: "x" }])],
    ["UnknownProductError", new UnknownProductError(["NOPE-1"])],
    ["InvalidPromotionError", new InvalidPromotionError("WELCOME10", "expired")],
    ["OutOfStockError", new OutOfStockError([{ sku: "MUG-1", requested: 2, available: 1 }])],
    ["IdempotencyKeyInUseError", new IdempotencyKeyInUseError()],
  ])("catches %s under the class's own name", (name, error) => {
    expect(error.name).toBe(name);
    expect(WORKFLOW_DOMAIN_ERRORS).toContain(name);
    expect(DOMAIN_ERROR_NAMES).toContain(name);
  });

  it("catches exactly the errors listed above", () => {
    expect(WORKFLOW_DOMAIN_ERRORS).toHaveLength(5);
  });
});
