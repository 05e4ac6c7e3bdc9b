import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FunctionName, FunctionSpec } from "../../../../stacks/manifest.ts";
import { type Fault, FaultInjector } from "./faults.ts";
import { type InvokeResult, LambdaRunner, type LocalFunction } from "./runner.ts";

const rootDir = fileURLToPath(new URL("../../../../", import.meta.url));
const parentOnlyVariable = "ORDERFLOW_RUNNER_TEST_PARENT_ONLY";

// Fixture functions are not in the app manifest, so their names are cast to FunctionName.
const name = (value: string) => value as FunctionName;

function fixture(
  fn: string,
  handler: string,
  overrides: Partial<FunctionSpec> = {},
  environment: Record<string, string> = {},
): LocalFunction {
  return {
    name: name(fn),
    spec: {
      handler: `packages/local/src/lambda/fixtures/${handler}`,
      description: `test fixture ${handler}`,
      timeout: 1,
      memory: 256,
      link: [],
      ...overrides,
    },
    environment,
  };
}

function expectOk(result: InvokeResult): asserts result is Extract<InvokeResult, { ok: true }> {
  if (!result.ok) {
    throw new Error(
      `expected success, got ${result.error.errorType}: ${result.error.errorMessage}`,
    );
  }
}

function expectError(result: InvokeResult): asserts result is Extract<InvokeResult, { ok: false }> {
  if (result.ok) {
    throw new Error(`expected an error, got ${JSON.stringify(result.payload)}`);
  }
}

describe("LambdaRunner", () => {
  const logs: { fn: FunctionName; line: string }[] = [];
  const faults = new FaultInjector();
  let buildDir: string;
  let runner: LambdaRunner;

  beforeAll(async () => {
    process.env[parentOnlyVariable] = "visible only to the test process";
    buildDir = await mkdtemp(path.join(tmpdir(), "orderflow-runner-"));
    runner = await LambdaRunner.start({
      rootDir,
      buildDir,
      faults,
      maxConcurrency: 3,
      initTimeoutMs: 1_000,
      onLog: (fn, line) => logs.push({ fn, line }),
      functions: [
        fixture(
          "Echo",
          "echo.handler",
          { timeout: 7, memory: 384 },
          {
            SST_RESOURCE_Table: JSON.stringify({
              name: "orderflow-local-table",
              type: "sst.aws.Dynamo",
            }),
            AWS_REGION: "eu-central-1",
          },
        ),
        fixture("Fail", "fail.handler"),
        fixture("Sleep", "sleep.handler"),
        fixture("Counter", "counter.handler", { timeout: 5 }),
        fixture("Console", "console.handler"),
        fixture("Record", "record.handler"),
        fixture("Reject", "reject.handler"),
        fixture("Large", "large.handler"),
        fixture("Hang", "hang.handler"),
        fixture("SlowInit", "slow-init.handler", { timeout: 3 }, { INIT_DELAY_MS: "1500" }),
        fixture("SlowerInit", "slow-init.handler", { timeout: 2 }, { INIT_DELAY_MS: "4000" }),
        fixture("InitError", "init-error.handler"),
      ],
    });
  });

  afterAll(async () => {
    await runner?.stop();
    delete process.env[parentOnlyVariable];
    await rm(buildDir, { recursive: true, force: true });
  });

  describe("context", () => {
    it("builds a Lambda Context from the spec", async () => {
      // Prepare
      const event = { orderId: "01JEXAMPLE", at: new Date(0) };

      // Act
      const result = await runner.invoke(name("Echo"), event);

      // Assess
      expectOk(result);
      const payload = result.payload as { event: unknown; context: Record<string, unknown> };
      expect(payload.event).toEqual({ orderId: "01JEXAMPLE", at: "1970-01-01T00:00:00.000Z" });
      expect(payload.context.awsRequestId).toBe(result.requestId);
      expect(payload.context.functionName).toBe("Echo");
      expect(payload.context.functionVersion).toBe("$LATEST");
      expect(payload.context.invokedFunctionArn).toBe(
        "arn:aws:lambda:eu-central-1:000000000000:function:Echo",
      );
      expect(payload.context.memoryLimitInMB).toBe("384");
      expect(payload.context.logGroupName).toBe("/aws/lambda/Echo");
      expect(payload.context.logStreamName).toMatch(
        /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/,
      );
      expect(payload.context.callbackWaitsForEmptyEventLoop).toBe(true);
      expect(payload.context.remainingTimeInMillis).toBeGreaterThan(6_000);
      expect(payload.context.remainingTimeInMillis).toBeLessThanOrEqual(7_000);
    });

    it("returns the ARN in the function's region", () => {
      // Act
      const arn = runner.arnOf(name("Echo"));

      // Assess
      expect(arn).toBe("arn:aws:lambda:eu-central-1:000000000000:function:Echo");
    });

    it("rejects an unknown function by name", async () => {
      // Act
      const invocation = runner.invoke(name("Missing"), {});

      // Assess
      await expect(invocation).rejects.toThrow(/Unknown function "Missing"/);
    });
  });

  describe("environment", () => {
    it("contains only Lambda's variables and the function's own", async () => {
      // Act
      const result = await runner.invoke(name("Echo"), {});

      // Assess
      expectOk(result);
      const env = (result.payload as { env: Record<string, string> }).env;
      expect(Object.keys(env).sort()).toEqual(
        [
          "AWS_DEFAULT_REGION",
          "AWS_EXECUTION_ENV",
          "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
          "AWS_LAMBDA_FUNCTION_NAME",
          "AWS_LAMBDA_FUNCTION_VERSION",
          "AWS_LAMBDA_INITIALIZATION_TYPE",
          "AWS_LAMBDA_LOG_GROUP_NAME",
          "AWS_LAMBDA_LOG_STREAM_NAME",
          "AWS_REGION",
          "LAMBDA_TASK_ROOT",
          "LANG",
          "PATH",
          "SST_RESOURCE_Table",
          "TZ",
          "_HANDLER",
        ].sort(),
      );
    });

    it.each([
      ["AWS_LAMBDA_FUNCTION_NAME", "Echo"],
      ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "384"],
      ["AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"],
      ["AWS_REGION", "eu-central-1"],
      ["AWS_EXECUTION_ENV", "AWS_Lambda_nodejs24.x"],
      ["TZ", ":UTC"],
      ["_HANDLER", "echo.handler"],
      [
        "SST_RESOURCE_Table",
        JSON.stringify({ name: "orderflow-local-table", type: "sst.aws.Dynamo" }),
      ],
    ])("sets %s", async (variable, expected) => {
      // Act
      const result = await runner.invoke(name("Echo"), {});

      // Assess
      expectOk(result);
      expect((result.payload as { env: Record<string, string> }).env[variable]).toBe(expected);
    });

    it("hides the parent process's variables", async () => {
      // Act
      const result = await runner.invoke(name("Echo"), {});

      // Assess
      expectOk(result);
      const env = (result.payload as { env: Record<string, string> }).env;
      expect(process.env[parentOnlyVariable]).toBeDefined();
      expect(env[parentOnlyVariable]).toBeUndefined();
      expect(env.HOME).toBeUndefined();
    });
  });

  describe("errors", () => {
    it("reports the error's name and message without the stack", async () => {
      // Act
      const result = await runner.invoke(name("Fail"), {
        message: "MUG-STONE-350 is out of stock",
      });

      // Assess
      expectError(result);
      expect(result.error).toEqual({
        errorType: "OutOfStockError",
        errorMessage: "MUG-STONE-350 is out of stock",
      });
    });

    it("logs the stack to the function's log", async () => {
      // Act
      const result = await runner.invoke(name("Fail"), {});

      // Assess
      const record = logs.find(
        (entry) => entry.fn === name("Fail") && entry.line.includes(result.requestId),
      );
      expect(record?.line).toContain("\tERROR\tInvoke Error \t");
      expect(record?.line).toContain("fail.ts");
    });
  });

  describe("limits and crashes", () => {
    const sixMegabytes = 6 * 1024 * 1024;

    it("rejects a request over 6 MB", async () => {
      // Act
      const result = await runner.invoke(name("Echo"), { padding: "x".repeat(sixMegabytes) });

      // Assess
      expectError(result);
      expect(result.error.errorType).toBe("Lambda.RequestTooLargeException");
    });

    it("fails a response over 6 MB", async () => {
      // Act
      const result = await runner.invoke(name("Large"), { bytes: sixMegabytes });

      // Assess
      expectError(result);
      expect(result.error.errorType).toBe("Function.ResponseSizeTooLarge");
    });

    it("rejects an event that is not JSON", async () => {
      // Prepare
      const event: Record<string, unknown> = { orderId: "01JEXAMPLE" };
      event.self = event;

      // Act
      const result = await runner.invoke(name("Echo"), event);

      // Assess
      expectError(result);
      expect(result.error.errorType).toBe("Lambda.InvalidRequestContentException");
    });

    it("fails each unhandled rejection", async () => {
      // Act
      const failed = await runner.invoke(name("Reject"), {});
      const next = await runner.invoke(name("Reject"), {});

      // Assess
      expectError(failed);
      expect(failed.error).toEqual({
        errorType: "Runtime.UnhandledPromiseRejection",
        errorMessage: "RangeError: quantity out of range",
      });
      expectError(next);
      expect(next.error.errorType).toBe("Runtime.UnhandledPromiseRejection");
    });

    it("times out a module that never loads", async () => {
      // Act
      const result = await runner.invoke(name("Hang"), {});

      // Assess
      expectError(result);
      expect(result.error).toEqual({
        errorType: "Sandbox.Timedout",
        errorMessage: "Task timed out after 1.00 seconds",
      });
    });
  });

  describe("slow init", () => {
    it("runs a load over the Init limit within the function timeout", async () => {
      // Act
      const result = await runner.invoke(name("SlowInit"), {});

      // Assess
      expectOk(result);
      const payload = result.payload as { initDelayMs: number; remainingTimeInMillis: number };
      expect(payload.initDelayMs).toBe(1_500);
      expect(result.initDurationMs).toBeGreaterThanOrEqual(1_500);
      expect(payload.remainingTimeInMillis).toBeGreaterThan(0);
      expect(payload.remainingTimeInMillis).toBeLessThanOrEqual(1_500);
    });

    it("keeps the instance warm after a slow load", async () => {
      // Prepare
      await runner.invoke(name("SlowInit"), {});

      // Act
      const result = await runner.invoke(name("SlowInit"), {});

      // Assess
      expectOk(result);
      expect(result.initDurationMs).toBeUndefined();
      expect(
        (result.payload as { remainingTimeInMillis: number }).remainingTimeInMillis,
      ).toBeGreaterThan(2_000);
    });

    it("times out a load longer than the function timeout", async () => {
      // Act
      const result = await runner.invoke(name("SlowerInit"), {});

      // Assess
      expectError(result);
      expect(result.error).toEqual({
        errorType: "Sandbox.Timedout",
        errorMessage: "Task timed out after 2.00 seconds",
      });
      expect(result.durationMs).toBeGreaterThanOrEqual(2_000);
      expect(result.durationMs).toBeLessThan(3_500);
    });

    it("reports a failed load as the module's error", async () => {
      // Act
      const result = await runner.invoke(name("InitError"), {});

      // Assess
      expectError(result);
      expect(result.error).toEqual({
        errorType: "TypeError",
        errorMessage: "ORDERS_TABLE is not set",
      });
    });

    it("frees the slot of each instance whose load failed", async () => {
      // Act
      const results = await Promise.all(
        [1, 2, 3, 4, 5, 6].map(() => runner.invoke(name("InitError"), {})),
      );

      // Assess
      const errorTypes = results.map((result) => {
        expectError(result);
        return result.error.errorType;
      });
      expect(errorTypes).toEqual(Array(6).fill("TypeError"));
    });
  });

  describe("timeout", () => {
    it("ends a call that outlasts the timeout with Sandbox.Timedout", async () => {
      // Act
      const result = await runner.invoke(name("Sleep"), { ms: 5_000 });

      // Assess
      expectError(result);
      expect(result.error.errorType).toBe("Sandbox.Timedout");
      expect(result.error.errorMessage).toMatch(/^Task timed out after 1\.\d{2} seconds$/);
      expect(result.durationMs).toBeGreaterThanOrEqual(1_000);
      expect(result.durationMs).toBeLessThan(2_500);
    });

    it("starts a fresh instance after a timeout", async () => {
      // Prepare
      await runner.invoke(name("Sleep"), { ms: 5_000 });

      // Act
      const result = await runner.invoke(name("Sleep"), { ms: 1 });

      // Assess
      expectOk(result);
      expect(result.initDurationMs).toBeGreaterThan(0);
    });
  });

  describe("warm instances", () => {
    it("keeps module state between invocations", async () => {
      // Act
      const first = await runner.invoke(name("Counter"), null);
      const second = await runner.invoke(name("Counter"), null);

      // Assess
      expectOk(first);
      expectOk(second);
      const a = first.payload as { instanceId: string; count: number };
      const b = second.payload as { instanceId: string; count: number };
      expect(b.instanceId).toBe(a.instanceId);
      expect(b.count).toBe(a.count + 1);
      expect(second.initDurationMs).toBeUndefined();
    });

    it("starts one instance per concurrent invocation", async () => {
      // Act
      const results = await Promise.all(
        [1, 2, 3].map(() => runner.invoke(name("Counter"), { holdMs: 200 })),
      );

      // Assess
      const ids = results.map((result) => {
        expectOk(result);
        return (result.payload as { instanceId: string }).instanceId;
      });
      expect(new Set(ids).size).toBe(3);
    });

    it("queues calls beyond the concurrency limit", async () => {
      // Act
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map(() => runner.invoke(name("Counter"), { holdMs: 200 })),
      );

      // Assess
      const ids = results.map((result) => {
        expectOk(result);
        return (result.payload as { instanceId: string }).instanceId;
      });
      expect(new Set(ids).size).toBe(3);
    });

    it("serves a queued call after a timeout", async () => {
      // Act
      const results = await Promise.all(
        [5_000, 5_000, 5_000, 1].map((ms) => runner.invoke(name("Sleep"), { ms })),
      );

      // Assess
      expect(results.map((result) => result.ok)).toEqual([false, false, false, true]);
    });
  });

  describe("console", () => {
    it("forwards each line with Lambda's record prefix", async () => {
      // Act
      const result = await runner.invoke(name("Console"), {});

      // Assess
      expectOk(result);
      const lines = logs.filter((entry) => entry.fn === name("Console")).map((entry) => entry.line);
      const prefix = `^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\t${result.requestId}\\t`;
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(new RegExp(`${prefix}INFO\\torder 01JEXAMPLE placed$`)),
          expect.stringMatching(
            new RegExp(`${prefix}WARN\\t\\{ step: 'Price', durationMs: 4 \\}$`),
          ),
          expect.stringMatching(new RegExp(`${prefix}ERROR\\tfirst line$`)),
          "second line",
        ]),
      );
      await expect.poll(() => logs.some((entry) => entry.line === "raw write")).toBe(true);
    });
  });

  describe("faults", () => {
    let scratch: string;

    beforeAll(async () => {
      scratch = await mkdtemp(path.join(tmpdir(), "orderflow-faults-"));
    });

    afterAll(async () => {
      await rm(scratch, { recursive: true, force: true });
    });

    async function linesOf(file: string): Promise<string[]> {
      const text = await readFile(file, "utf8").catch(() => "");
      return text.split("\n").filter((line) => line !== "");
    }

    it.each<[string, string, Fault, boolean]>([
      ["fail-before", "Lambda.ServiceException", { kind: "fail-before" }, false],
      [
        "fail-before with a chosen error",
        "Lambda.SdkClientException",
        { kind: "fail-before", errorType: "Lambda.SdkClientException", errorMessage: "reset" },
        false,
      ],
      ["fail-after", "Lambda.ServiceException", { kind: "fail-after" }, true],
      ["throttle", "Lambda.TooManyRequestsException", { kind: "throttle" }, false],
      ["timeout", "Sandbox.Timedout", { kind: "timeout" }, true],
    ])("%s ends with %s", async (label, errorType, fault, handlerRan) => {
      // Prepare
      const file = path.join(scratch, `${label.replaceAll(" ", "-")}.log`);
      faults.arm(name("Record"), fault);

      // Act
      const result = await runner.invoke(name("Record"), { file, line: "written" });

      // Assess
      expectError(result);
      expect(result.error.errorType).toBe(errorType);
      expect(await linesOf(file)).toEqual(handlerRan ? ["written"] : []);
    });

    it("applies a fault to the next N invocations only", async () => {
      // Prepare
      const file = path.join(scratch, "times.log");
      faults.arm(name("Record"), { kind: "fail-before" }, 2);

      // Act
      const results = [];
      for (const line of ["one", "two", "three"]) {
        results.push(await runner.invoke(name("Record"), { file, line }));
      }

      // Assess
      expect(results.map((result) => result.ok)).toEqual([false, false, true]);
      expect(await linesOf(file)).toEqual(["three"]);
      expect(faults.pending(name("Record"))).toBe(0);
    });

    it("leaves other functions alone", async () => {
      // Prepare
      faults.arm(name("Record"), { kind: "throttle" });

      // Act
      const result = await runner.invoke(name("Counter"), null);

      // Assess
      expect(result.ok).toBe(true);
      expect(faults.pending(name("Record"))).toBe(1);
      faults.clear();
    });
  });
});

describe("LambdaRunner cold start burst", () => {
  const burstSize = 8;
  let buildDir: string;
  let runner: LambdaRunner;

  beforeAll(async () => {
    buildDir = await mkdtemp(path.join(tmpdir(), "orderflow-burst-"));
    runner = await LambdaRunner.start({
      rootDir,
      buildDir,
      initTimeoutMs: 200,
      onLog: () => {},
      functions: [
        fixture("Counter", "counter.handler", { timeout: 10 }),
        fixture("SlowInit", "slow-init.handler", { timeout: 10 }, { INIT_DELAY_MS: "500" }),
      ],
    });
  });

  afterAll(async () => {
    await runner?.stop();
    await rm(buildDir, { recursive: true, force: true });
  });

  it.each([
    ["Counter", { holdMs: 200 }],
    ["SlowInit", {}],
  ])("serves %s's concurrent first calls", async (fn, event) => {
    // Act
    const results = await Promise.all(
      Array.from({ length: burstSize }, () => runner.invoke(name(fn), event)),
    );

    // Assess
    const outcomes = results.map((result) =>
      result.ok ? "ok" : `${result.error.errorType}: ${result.error.errorMessage}`,
    );
    expect(outcomes).toEqual(Array(burstSize).fill("ok"));
    const coldStarts = results.filter((result) => result.ok && result.initDurationMs !== undefined);
    expect(coldStarts).toHaveLength(burstSize);
  });
});

describe("LambdaRunner.start", () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "orderflow-build-"));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it("names the function and file of a failed build", async () => {
    // Prepare
    await writeFile(path.join(scratch, "broken.ts"), "export const handler = async ( => 1;\n");

    // Act
    const start = LambdaRunner.start({
      rootDir: scratch,
      buildDir: path.join(scratch, "build"),
      functions: [
        {
          ...fixture("Broken", "unused.handler"),
          spec: { ...fixture("Broken", "x").spec, handler: "broken.handler" },
        },
      ],
    });

    // Assess
    await expect(start).rejects.toThrow(/Build of function Broken \(.*broken\.ts\) failed/);
  });

  it("names a handler file that does not exist", async () => {
    // Act
    const start = LambdaRunner.start({
      rootDir: scratch,
      buildDir: path.join(scratch, "build"),
      functions: [
        {
          ...fixture("Ghost", "x"),
          spec: { ...fixture("Ghost", "x").spec, handler: "ghost.handler" },
        },
      ],
    });

    // Assess
    await expect(start).rejects.toThrow(/Handler file for "ghost\.handler" not found/);
  });

  it("reports a missing export as Runtime.HandlerNotFound", async () => {
    // Prepare
    await writeFile(path.join(scratch, "unexported.ts"), "export const other = 1;\n");
    const runner = await LambdaRunner.start({
      rootDir: scratch,
      buildDir: path.join(scratch, "build"),
      onLog: () => {},
      functions: [
        {
          ...fixture("Unexported", "x"),
          spec: { ...fixture("Unexported", "x").spec, handler: "unexported.handler" },
        },
      ],
    });

    // Act
    const result = await runner.invoke(name("Unexported"), {});
    await runner.stop();

    // Assess
    expectError(result);
    expect(result.error).toEqual({
      errorType: "Runtime.HandlerNotFound",
      errorMessage: "unexported.handler is undefined or not exported",
    });
  });
});
