import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { createStore } from "../packages/core/src/db/table.ts";
import { idempotencyRecordId } from "../packages/core/src/idempotency/idempotency.ts";
import { orderWorkflowDefinition } from "../packages/core/src/workflow/definition.ts";
import { routeMethods } from "./cors.ts";
import {
  email,
  type FunctionName,
  functions,
  type ResourceName,
  routes,
  table,
  type WorkflowStep,
  workflow,
} from "./manifest.ts";
import { stageSettings } from "./stage-settings.ts";
import {
  linksResource,
  type TableFunctionName,
  type TableReadAction,
  type TableWriteAction,
  tableAccess,
  tableStatements,
} from "./table-access.ts";
import {
  buildWorkflowDefinition,
  invokeStepsPolicy,
  type WorkflowFunctionName,
  workflowFunctionNames,
  workflowTaskArns,
} from "./workflow-definition.ts";

const repositoryRoot = fileURLToPath(new URL("..", import.meta.url));
const functionNames = Object.keys(functions) as FunctionName[];
const declaredResources = new Set<string>([table.resource, workflow.resource, email.resource]);
const workflowSteps = Object.keys(workflow.steps) as WorkflowStep[];

function handlerModule(name: FunctionName): { file: string; exportName: string } {
  const handler = functions[name].handler;
  const dot = handler.lastIndexOf(".");
  return {
    file: `${repositoryRoot}${handler.slice(0, dot)}.ts`,
    exportName: handler.slice(dot + 1),
  };
}

function arnOf(name: string): string {
  return `arn:aws:lambda:eu-central-1:123456789012:function:orderflow-test-${name}`;
}

const stepFunctionArns = Object.fromEntries(
  workflowFunctionNames().map((name) => [name, arnOf(name)]),
) as Record<WorkflowFunctionName, string>;

describe("manifest functions", () => {
  beforeAll(() => {
    // Handlers read SST's `Resource` object, which SST fills from these variables. A handler
    // that reads a resource while its module loads must still load here.
    process.env.SST_RESOURCE_App = JSON.stringify({ name: "orderflow", stage: "test" });
    process.env[`SST_RESOURCE_${table.resource}`] = JSON.stringify({ name: "orderflow-test" });
    process.env[`SST_RESOURCE_${workflow.resource}`] = JSON.stringify({
      arn: "arn:aws:states:eu-central-1:123456789012:stateMachine:orderflow-test",
    });
    process.env[`SST_RESOURCE_${email.resource}`] = JSON.stringify({
      sender: "orders@example.com",
      configSet: "orderflow-test",
    });
  });

  it.each(functionNames)("%s handler file exists", (name) => {
    const { file } = handlerModule(name);

    expect(existsSync(file), `${functions[name].handler} names ${file}`).toBe(true);
  });

  it.each(functionNames)("%s handler module exports its function", async (name) => {
    const { file, exportName } = handlerModule(name);

    const module: Record<string, unknown> = await import(pathToFileURL(file).href);

    expect(typeof module[exportName], `export ${exportName} of ${file}`).toBe("function");
  });

  it.each(functionNames)("%s links only declared resources", (name) => {
    for (const resource of functions[name].link) {
      expect(declaredResources, `${name} links ${resource}`).toContain(resource);
    }
  });

  it.each(functionNames)("%s has a timeout and memory Lambda accepts", (name) => {
    const { timeout, memory } = functions[name];

    expect(Number.isInteger(timeout)).toBe(true);
    expect(timeout).toBeGreaterThanOrEqual(1);
    expect(timeout).toBeLessThanOrEqual(900);
    expect(Number.isInteger(memory)).toBe(true);
    expect(memory).toBeGreaterThanOrEqual(128);
    expect(memory).toBeLessThanOrEqual(10_240);
  });

  it.each(functionNames)("%s is served by a route or a workflow step", (name) => {
    const used = [...Object.values(routes), ...Object.values(workflow.steps)] as string[];

    expect(used).toContain(name);
  });
});

describe("manifest routes", () => {
  it.each(Object.entries(routes))("%s names a declared function", (_route, name) => {
    expect(functionNames).toContain(name);
  });

  it.each(Object.keys(routes))("%s is METHOD /path", (route) => {
    expect(route).toMatch(/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/[^\s]*$/);
  });

  it.each(Object.keys(routes))("%s method is allowed by CORS", (route) => {
    expect(routeMethods()).toContain(route.split(" ")[0]);
  });

  it("lists each CORS method once", () => {
    const methods = routeMethods();

    expect(new Set(methods).size).toBe(methods.length);
  });

  it("keeps route handlers within API Gateway's 30-second integration timeout", () => {
    for (const name of new Set(Object.values(routes))) {
      expect(functions[name].timeout, name).toBeLessThan(30);
    }
  });
});

describe("manifest workflow", () => {
  it.each(Object.entries(workflow.steps))("step %s names a declared function", (_step, name) => {
    expect(functionNames).toContain(name);
  });

  it("names a declared resource", () => {
    expect(declaredResources).toContain(workflow.resource);
  });

  it.each(workflowFunctionNames())("step function %s cannot start executions", (name) => {
    expect(linksResource(name, workflow.resource)).toBe(false);
  });

  it("is started only by route handlers", () => {
    const starters = functionNames.filter((name) => linksResource(name, workflow.resource));
    const routeHandlers = new Set<string>(Object.values(routes));

    expect(starters.length).toBeGreaterThan(0);
    for (const name of starters) {
      expect(routeHandlers, name).toContain(name);
    }
  });
});

describe("table access", () => {
  it.each(functionNames)("%s has table actions exactly when it links the table", (name) => {
    const links = linksResource(name, table.resource as ResourceName);

    expect(name in tableAccess).toBe(links);
  });

  it.each(Object.entries(tableAccess))(
    "%s gets statements only for its actions",
    (_name, access) => {
      const arn = "arn:aws:dynamodb:eu-central-1:123456789012:table/orderflow-test";

      const statements = tableStatements(access, arn);

      const granted = statements.flatMap((statement) => statement.actions);
      expect(new Set(granted)).toEqual(new Set([...access.read, ...access.write]));
      for (const statement of statements) {
        const writes = statement.actions.some((action) =>
          (access.write as readonly string[]).includes(action),
        );
        expect(statement.resources).toEqual(writes ? [arn] : [arn, `${arn}/index/*`]);
      }
    },
  );

  it.each(["ListProducts", "QuoteOrder", "GetOrder", "ValidateOrder", "PriceOrder"] as const)(
    "%s cannot write",
    (name) => {
      expect(tableAccess[name].write).toEqual([]);
    },
  );

  it.each(Object.entries(tableAccess))("%s limits keys only as declared", (_name, access) => {
    const arn = "arn:aws:dynamodb:eu-central-1:123456789012:table/orderflow-test";
    const condition = (patterns: readonly string[] | undefined) =>
      patterns === undefined
        ? undefined
        : [
            {
              test: "ForAllValues:StringLike",
              variable: "dynamodb:LeadingKeys",
              values: [...patterns],
            },
          ];

    const statements = tableStatements(access, arn);

    const read = statements.find((statement) => statement.resources.length === 2);
    const write = statements.find((statement) => statement.resources.length === 1);
    expect(read?.conditions).toEqual(condition(access.readablePartitionKeys));
    expect(write?.conditions).toEqual(condition(access.writablePartitionKeys));
  });
});

describe("partition key conditions", () => {
  const store = createStore({ tableName: "orderflow-test" });

  // One of each read by key that packages/core makes: the IAM action DynamoDB checks for it, and
  // the request ElectroDB builds, whose partition key `dynamodb:LeadingKeys` is matched against.
  const reads: Record<string, { action: TableReadAction; params: () => unknown }> = {
    "read products": {
      action: "dynamodb:BatchGetItem",
      params: () => store.product.get([{ sku: "MUG-STONE-350" }]).params(),
    },
    "read an order": {
      action: "dynamodb:GetItem",
      params: () => store.order.get({ orderId: "01JEXAMPLE0000000000000000" }).params(),
    },
    "read an idempotency record": {
      action: "dynamodb:GetItem",
      params: () =>
        store.idempotency.get({ recordId: idempotencyRecordId("Checkout-Key-1") }).params(),
    },
    "read a promotion count": {
      action: "dynamodb:GetItem",
      params: () => store.promotionRedemption.get({ code: "WELCOME10" }).params(),
    },
  };

  // One of each write that packages/core makes, in the same form.
  const writes: Record<string, { action: TableWriteAction; params: () => unknown }> = {
    "claim an idempotency key": {
      action: "dynamodb:PutItem",
      params: () =>
        store.idempotency
          .put({
            recordId: idempotencyRecordId("Checkout-Key-1"),
            requestHash: "0".repeat(64),
            status: "in_progress",
            orderId: "01JEXAMPLE0000000000000000",
            lockedUntil: 1_800_000_000_000,
            createdAt: "2026-12-04T10:00:00.000Z",
            expiresAt: 1_800_000_000,
          })
          .params(),
    },
    "complete an idempotency key": {
      action: "dynamodb:UpdateItem",
      params: () =>
        store.idempotency
          .patch({ recordId: idempotencyRecordId("Checkout-Key-1") })
          .set({ status: "completed" })
          .params(),
    },
    "release an idempotency key": {
      action: "dynamodb:DeleteItem",
      params: () =>
        store.idempotency.delete({ recordId: idempotencyRecordId("Checkout-Key-1") }).params(),
    },
    "create an order": {
      action: "dynamodb:PutItem",
      params: () =>
        store.order
          .create({
            orderId: "01JEXAMPLE0000000000000000",
            status: "confirmed",
            createdAt: "2026-12-04T10:00:00.000Z",
            currency: "EUR",
            customerName: "Test Customer",
            customerEmail: "customer@example.com",
            shippingAddress: {
              line1: "1 Test Street",
              city: "Berlin",
              postalCode: "10115",
              country: "DE",
            },
            lines: [],
            totals: { subtotal: 0, discount: 0, shipping: 0, tax: 0, total: 0 },
            accessTokenHash: "0".repeat(64),
            notificationStatus: "owed",
            executionArn: "arn:aws:states:eu-central-1:123456789012:express:orderflow-test:run",
            workflowSteps: [],
          })
          .params(),
    },
    "record an order's e-mail": {
      action: "dynamodb:UpdateItem",
      params: () =>
        store.order
          .patch({ orderId: "01JEXAMPLE0000000000000000" })
          .set({ notificationStatus: "sent" })
          .params(),
    },
    "decrement stock": {
      action: "dynamodb:UpdateItem",
      params: () => store.product.update({ sku: "MUG-STONE-350" }).subtract({ stock: 1 }).params(),
    },
    "count a promotion": {
      action: "dynamodb:UpdateItem",
      params: () =>
        store.promotionRedemption.update({ code: "WELCOME10" }).add({ redemptions: 1 }).params(),
    },
  };

  const readsAllowed: Partial<Record<TableFunctionName, readonly string[]>> = {
    QuoteOrder: ["read products", "read a promotion count"],
    GetOrder: ["read an order"],
    PlaceOrder: ["read an idempotency record", "read an order"],
    ValidateOrder: ["read products"],
    PriceOrder: ["read products", "read a promotion count"],
    PersistOrder: ["read an order", "read products"],
    NotifyOrder: ["read an order"],
  };
  const writesAllowed: Partial<Record<TableFunctionName, readonly string[]>> = {
    PlaceOrder: [
      "claim an idempotency key",
      "complete an idempotency key",
      "release an idempotency key",
    ],
    NotifyOrder: ["record an order's e-mail"],
  };

  const readCases = (Object.keys(readsAllowed) as TableFunctionName[]).flatMap((name) =>
    Object.keys(reads).map(
      (read) => [name, read, readsAllowed[name]?.includes(read) ?? false] as const,
    ),
  );
  const writeCases = (Object.keys(writesAllowed) as TableFunctionName[]).flatMap((name) =>
    Object.keys(writes).map(
      (write) => [name, write, writesAllowed[name]?.includes(write) ?? false] as const,
    ),
  );

  function partitionKeyOf(params: unknown): string {
    const match = /"pk":"([^"]+)"/.exec(JSON.stringify(params));
    if (!match?.[1]) throw new Error(`No partition key in ${JSON.stringify(params)}`);
    return match[1];
  }

  function matchesStringLike(value: string, pattern: string): boolean {
    const source = pattern
      .split("")
      .map((character) =>
        character === "*"
          ? ".*"
          : character === "?"
            ? "."
            : character.replace(/[.+^${}()|[\]\\]/g, "\\$&"),
      )
      .join("");
    return new RegExp(`^${source}$`).test(value);
  }

  function permits(
    actions: readonly string[],
    patterns: readonly string[] | undefined,
    operation: { action: string; params: () => unknown },
  ): boolean {
    const partitionKey = partitionKeyOf(operation.params());
    const keyAllowed =
      patterns === undefined ||
      patterns.some((pattern) => matchesStringLike(partitionKey, pattern));
    return keyAllowed && actions.includes(operation.action);
  }

  it.each(readCases)("%s: %s allowed is %s", (name, readName, expected) => {
    const access = tableAccess[name];
    const read = reads[readName];
    if (!read) throw new Error(`No read named ${readName}`);

    expect(permits(access.read, access.readablePartitionKeys, read)).toBe(expected);
  });

  it.each(writeCases)("%s: %s allowed is %s", (name, writeName, expected) => {
    const access = tableAccess[name];
    const write = writes[writeName];
    if (!write) throw new Error(`No write named ${writeName}`);

    expect(permits(access.write, access.writablePartitionKeys, write)).toBe(expected);
  });
});

describe("workflow definition", () => {
  it("equals the core definition with each step's function ARN", () => {
    const stepArns = Object.fromEntries(
      workflowSteps.map((step) => [step, arnOf(workflow.steps[step])]),
    ) as Record<WorkflowStep, string>;

    const definition = buildWorkflowDefinition(stepFunctionArns);

    expect(definition).toEqual(orderWorkflowDefinition(stepArns));
  });

  it.each(workflowSteps)("Task %s invokes its step's function", (step) => {
    const definition = buildWorkflowDefinition(stepFunctionArns);

    const state = definition.States[step];

    expect(state?.Type).toBe("Task");
    expect(state && "Resource" in state ? state.Resource : undefined).toBe(
      arnOf(workflow.steps[step]),
    );
  });

  it("invokes no function outside the workflow steps", () => {
    const definition = buildWorkflowDefinition(stepFunctionArns);

    const invoked = Object.values(definition.States).flatMap((state) =>
      state.Type === "Task" ? [state.Resource] : [],
    );

    expect(new Set(invoked)).toEqual(new Set(Object.values(stepFunctionArns)));
  });

  it.each(workflowSteps)("Task %s times out no later than its Lambda function", (step) => {
    const definition = buildWorkflowDefinition(stepFunctionArns);

    const state = definition.States[step];

    expect(
      state && "TimeoutSeconds" in state ? state.TimeoutSeconds : undefined,
    ).toBeLessThanOrEqual(functions[workflow.steps[step]].timeout);
  });

  it("ends before the functions that start it time out", () => {
    const definition = buildWorkflowDefinition(stepFunctionArns);
    const starters = functionNames.filter((name) => linksResource(name, workflow.resource));

    for (const name of starters) {
      expect(definition.TimeoutSeconds, name).toBeLessThan(functions[name].timeout);
    }
  });

  it("role may invoke exactly the Task functions", () => {
    const definition = buildWorkflowDefinition(stepFunctionArns);
    const invoked = Object.values(definition.States).flatMap((state) =>
      state.Type === "Task" ? [state.Resource] : [],
    );

    const policy = invokeStepsPolicy(stepFunctionArns);

    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]?.Effect).toBe("Allow");
    expect(policy.Statement[0]?.Action).toEqual(["lambda:InvokeFunction"]);
    expect(new Set(policy.Statement[0]?.Resource)).toEqual(new Set(invoked));
  });

  it("maps each step to its manifest function", () => {
    const taskArns = workflowTaskArns(stepFunctionArns);

    expect(taskArns).toEqual(
      Object.fromEntries(workflowSteps.map((step) => [step, arnOf(workflow.steps[step])])),
    );
  });
});

describe("stage settings", () => {
  it("production protects the table", () => {
    expect(stageSettings("production").protectTable).toBe(true);
  });

  it("production logs workflow errors without data", () => {
    const settings = stageSettings("production");

    expect(settings.workflowLogLevel).toBe("ERROR");
    expect(settings.includeExecutionData).toBe(false);
  });

  it.each(["staging", "dev", "alice", "Production"])("%s is not production", (stage) => {
    const settings = stageSettings(stage);

    expect(settings.production).toBe(false);
    expect(settings.protectTable).toBe(false);
    expect(settings.workflowLogLevel).toBe("ALL");
    expect(settings.includeExecutionData).toBe(true);
  });

  it.each(["production", "dev"])("%s keeps logs for a whole number of days", (stage) => {
    const settings = stageSettings(stage);

    expect(Number.isInteger(settings.logRetentionDays)).toBe(true);
    expect(settings.logRetentionDays).toBeGreaterThan(0);
  });

  it.each(["production", "dev"])("%s allows bursts of at least the rate", (stage) => {
    const { throttle } = stageSettings(stage);

    expect(throttle.rateLimit).toBeGreaterThan(0);
    expect(throttle.burstLimit).toBeGreaterThanOrEqual(throttle.rateLimit);
  });
});

describe("stacks/aws", () => {
  // sst.config.ts imports `./stacks/aws/${file}`, and SST's bundler includes every file that
  // pattern matches, so a test there would pull vitest into the deployed program.
  it("holds no test files", () => {
    const files = readdirSync(new URL("./aws", import.meta.url), { recursive: true });

    expect(files.filter((file) => String(file).includes(".test."))).toEqual([]);
  });
});
