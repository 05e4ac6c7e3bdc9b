import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutionService, type InvokeOutcome } from "./executions.ts";
import { type StepFunctionsServer, startStepFunctionsServer } from "./server.ts";

const stateMachineArn = "arn:aws:states:us-east-1:000000000000:stateMachine:Checkout";
const reserveArn = "arn:aws:lambda:us-east-1:000000000000:function:Reserve";

const definition = {
  StartAt: "Reserve",
  States: {
    Reserve: {
      Type: "Task",
      Resource: reserveArn,
      Retry: [{ ErrorEquals: ["Lambda.ServiceException"], IntervalSeconds: 0, MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ["OutOfStockError"], ResultPath: "$.error", Next: "Rejected" }],
      Next: "Done",
    },
    Rejected: { Type: "Fail", Error: "OrderRejected", Cause: "out of stock" },
    Done: { Type: "Succeed" },
  },
};

const slowStateMachineArn = "arn:aws:states:us-east-1:000000000000:stateMachine:Slow";
const slowArn = "arn:aws:lambda:us-east-1:000000000000:function:Slow";

const slowDefinition = {
  StartAt: "Wait for it",
  States: {
    "Wait for it": {
      Type: "Task",
      Resource: slowArn,
      TimeoutSeconds: 1,
      Retry: [{ ErrorEquals: ["States.Timeout"], IntervalSeconds: 0, MaxAttempts: 1 }],
      End: true,
    },
  },
};

/** Delays in milliseconds of the Slow function's next calls; later calls return at once. */
const slowDelays: number[] = [];

/** Outcomes the Reserve function returns, one per call, keyed by the input's `scenario`. */
const scenarios: Record<string, InvokeOutcome[]> = {};
const calls: unknown[] = [];

async function invokeLambda(functionArn: string, payload: unknown): Promise<InvokeOutcome> {
  calls.push(payload);
  if (functionArn === slowArn) {
    const delay = slowDelays.shift() ?? 0;
    await new Promise((resolve) => setTimeout(resolve, delay));
    return { ok: true, payload: { delay } };
  }
  if (functionArn !== reserveArn) {
    return {
      ok: false,
      error: { errorType: "Lambda.ResourceNotFoundException", errorMessage: functionArn },
    };
  }
  const scenario = (payload as { scenario: string }).scenario;
  return scenarios[scenario]?.shift() ?? { ok: true, payload: { reserved: true, scenario } };
}

let service: ExecutionService;
let server: StepFunctionsServer;
let client: SFNClient;

beforeAll(async () => {
  service = new ExecutionService({
    region: "us-east-1",
    accountId: "000000000000",
    stateMachines: [
      { name: "Checkout", arn: stateMachineArn, type: "EXPRESS", definition },
      { name: "Slow", arn: slowStateMachineArn, type: "EXPRESS", definition: slowDefinition },
    ],
    invokeLambda,
  });
  server = await startStepFunctionsServer({ service });
  client = new SFNClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    disableHostPrefix: true,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

describe("StartSyncExecution", () => {
  it("returns the documented fields of a succeeded run", async () => {
    // Prepare
    const input = JSON.stringify({ scenario: "plain" });

    // Act
    const result = await client.send(
      new StartSyncExecutionCommand({ stateMachineArn, input, name: "run-1" }),
    );

    // Assess
    expect(result.status).toBe("SUCCEEDED");
    expect(result.executionArn).toMatch(
      /^arn:aws:states:us-east-1:000000000000:express:Checkout:run-1:[0-9a-f-]{36}$/,
    );
    expect(result.stateMachineArn).toBe(stateMachineArn);
    expect(result.name).toBe("run-1");
    expect(result.startDate).toBeInstanceOf(Date);
    expect(result.stopDate).toBeInstanceOf(Date);
    expect(result.stopDate?.getTime()).toBeGreaterThanOrEqual(result.startDate?.getTime() ?? 0);
    expect(result.input).toBe(input);
    expect(result.inputDetails).toEqual({ included: true });
    expect(JSON.parse(result.output ?? "null")).toEqual({ reserved: true, scenario: "plain" });
    expect(result.outputDetails).toEqual({ included: true });
    expect(result.error).toBeUndefined();
    expect(result.cause).toBeUndefined();
    expect(result.billingDetails?.billedDurationInMilliseconds).toBeGreaterThanOrEqual(100);
    expect(result.billingDetails?.billedMemoryUsedInMB).toBe(64);
  });

  it("catches a function error by its name", async () => {
    // Prepare
    scenarios.caught = [
      { ok: false, error: { errorType: "OutOfStockError", errorMessage: "MUG is sold out" } },
    ];

    // Act
    const result = await client.send(
      new StartSyncExecutionCommand({
        stateMachineArn,
        input: JSON.stringify({ scenario: "caught" }),
      }),
    );

    // Assess
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("OrderRejected");
    expect(result.cause).toBe("out of stock");
    expect(result.output).toBeUndefined();
  });

  it("retries a transient Lambda error and succeeds", async () => {
    // Prepare
    scenarios.retried = [
      { ok: false, error: { errorType: "Lambda.ServiceException", errorMessage: "try again" } },
    ];
    const before = calls.length;

    // Act
    const result = await client.send(
      new StartSyncExecutionCommand({
        stateMachineArn,
        input: JSON.stringify({ scenario: "retried" }),
      }),
    );

    // Assess
    expect(result.status).toBe("SUCCEEDED");
    expect(calls.length - before).toBe(2);
  });

  it("fails with the function's error type and a JSON cause when nothing catches it", async () => {
    // Prepare
    scenarios.uncaught = [
      { ok: false, error: { errorType: "TypeError", errorMessage: "x is undefined" } },
    ];

    // Act
    const result = await client.send(
      new StartSyncExecutionCommand({
        stateMachineArn,
        input: JSON.stringify({ scenario: "uncaught" }),
      }),
    );

    // Assess
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("TypeError");
    expect(JSON.parse(result.cause ?? "null")).toEqual({
      errorType: "TypeError",
      errorMessage: "x is undefined",
    });
  });

  it.each([
    {
      case: "an unknown state machine",
      request: { stateMachineArn: `${stateMachineArn}Missing`, input: "{}" },
      error: "StateMachineDoesNotExist",
    },
    {
      case: "a malformed state machine ARN",
      request: { stateMachineArn: "Checkout", input: "{}" },
      error: "InvalidArn",
    },
    {
      case: "input that is not JSON",
      request: { stateMachineArn, input: "{not json" },
      error: "InvalidExecutionInput",
    },
    {
      case: "input over 256 KiB",
      request: { stateMachineArn, input: JSON.stringify({ pad: "x".repeat(262_144) }) },
      error: "ValidationException",
    },
    {
      case: "a name with a space",
      request: { stateMachineArn, input: "{}", name: "two words" },
      error: "InvalidName",
    },
  ])("rejects $case with $error", async ({ request, error }) => {
    // Act
    const attempt = client.send(new StartSyncExecutionCommand(request));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: error });
  });
});

describe("asynchronous executions", () => {
  it("starts, describes, lists and records the history of a run", async () => {
    // Prepare
    const input = JSON.stringify({ scenario: "async" });

    // Act
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn, input, name: "async-1" }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const described = await client.send(
      new DescribeExecutionCommand({ executionArn: started.executionArn }),
    );
    const listed = await client.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: "SUCCEEDED" }),
    );
    const history = await client.send(
      new GetExecutionHistoryCommand({ executionArn: started.executionArn }),
    );

    // Assess
    expect(started.startDate).toBeInstanceOf(Date);
    expect(described.status).toBe("SUCCEEDED");
    expect(described.name).toBe("async-1");
    expect(described.input).toBe(input);
    expect(JSON.parse(described.output ?? "null")).toEqual({ reserved: true, scenario: "async" });
    expect(listed.executions?.map((execution) => execution.executionArn)).toContain(
      started.executionArn,
    );
    expect(history.events?.map((event) => event.type)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "SucceedStateEntered",
      "SucceedStateExited",
      "ExecutionSucceeded",
    ]);
    expect(history.events?.map((event) => event.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(history.events?.[1]?.stateEnteredEventDetails).toEqual({
      name: "Reserve",
      input,
      inputDetails: { truncated: false },
    });
    expect(history.events?.[4]?.lambdaFunctionSucceededEventDetails?.output).toBe(
      JSON.stringify({ reserved: true, scenario: "async" }),
    );
  });

  it("records a task timeout and its retry", async () => {
    // Prepare
    slowDelays.push(1_500);

    // Act
    const result = await client.send(
      new StartSyncExecutionCommand({ stateMachineArn: slowStateMachineArn, input: "{}" }),
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    const history = await client.send(
      new GetExecutionHistoryCommand({ executionArn: result.executionArn }),
    );

    // Assess
    expect(result.status).toBe("SUCCEEDED");
    expect(JSON.parse(result.output ?? "null")).toEqual({ delay: 0 });
    const events = history.events ?? [];
    expect(events.map((event) => event.type)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionTimedOut",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    expect(events[4]?.lambdaFunctionTimedOutEventDetails?.error).toBe("States.Timeout");
    expect(events[7]?.lambdaFunctionSucceededEventDetails?.output).toBe('{"delay":0}');
  });

  it("ends aborted runs as ABORTED", async () => {
    // Prepare
    slowDelays.push(800);
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn: slowStateMachineArn, input: "{}" }),
    );

    // Act
    service.abortAll();
    await service.drain();
    const described = await client.send(
      new DescribeExecutionCommand({ executionArn: started.executionArn }),
    );

    // Assess
    expect(described.status).toBe("ABORTED");
    expect(described.stopDate).toBeInstanceOf(Date);
    expect(described.output).toBeUndefined();
  });

  it("rejects an unknown execution with ExecutionDoesNotExist", async () => {
    // Act
    const attempt = client.send(
      new DescribeExecutionCommand({
        executionArn: "arn:aws:states:us-east-1:000000000000:express:Checkout:none:0",
      }),
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: "ExecutionDoesNotExist" });
  });
});

describe("executions page", () => {
  it("lists a finished run with each state's input and output", async () => {
    // Prepare
    await client.send(
      new StartSyncExecutionCommand({
        stateMachineArn,
        input: JSON.stringify({ scenario: "<page>" }),
        name: "page-run",
      }),
    );

    // Act
    const response = await fetch(`${server.url}/`);
    const html = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html).toContain("page-run");
    expect(html).toContain("Reserve");
    expect(html).toContain("&quot;scenario&quot;: &quot;&lt;page&gt;&quot;");
    expect(html).not.toContain("<page>");
  });
});
