/**
 * Runs the offline stack in its own process for the benchmark, so the load generator and the
 * stack under load do not share an event loop. The parent talks to it over the fork IPC channel:
 * see StackRequest and StackMessage.
 */
import type { InvokeResult } from "../packages/local/src/lambda/runner.ts";
import { startStack } from "../packages/local/src/stack.ts";
import type { FunctionName } from "../stacks/manifest.ts";

/** One Lambda invocation as the runner reported it. */
export interface InvocationRecord {
  functionName: FunctionName;
  /** Epoch ms at which the invocation was requested. */
  startedAt: number;
  ok: boolean;
  /** Lambda's error type when `ok` is false, e.g. `Sandbox.Timedout`. */
  errorType?: string;
  durationMs: number;
  initDurationMs?: number;
}

/** One Step Functions execution as the local endpoint recorded it. */
export interface ExecutionRecord {
  executionArn: string;
  status: string;
  durationMs: number;
  /** `*StateEntered` events: what Standard workflows bill as state transitions. */
  statesEntered: number;
}

export type StackRequest =
  | { type: "take-invocations" }
  | { type: "recent-log" }
  | { type: "in-flight" }
  | { type: "describe-executions"; executionNames: string[] }
  | { type: "stop" };

export type StackMessage =
  | {
      type: "ready";
      apiUrl: string;
      stepFunctionsUrl: string;
      dynamodbUrl: string;
      tableName: string;
      stateMachineArn: string;
      outboxDir: string;
    }
  | { type: "invocations"; records: InvocationRecord[] }
  | { type: "executions"; records: ExecutionRecord[] }
  | { type: "log"; lines: string[] }
  | { type: "in-flight"; invocations: number }
  | { type: "failed"; message: string; log: string[] };

function send(message: StackMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const outboxDir = process.env.ORDERFLOW_BENCH_OUTBOX;
  if (outboxDir === undefined) {
    throw new Error("ORDERFLOW_BENCH_OUTBOX is missing: set it to the directory for e-mails");
  }

  // The stack logs one line per request. Printing them would cost more than some of the
  // components being measured, so only the last lines are kept, for error reports.
  const recentLog: string[] = [];
  const log = (line: string) => {
    recentLog.push(line);
    if (recentLog.length > 50) recentLog.shift();
  };
  const onFunctionLog = (functionName: FunctionName, line: string) =>
    log(`${functionName} ${line}`);

  let stack: Awaited<ReturnType<typeof startStack>>;
  try {
    stack = await startStack({ apiPort: 0, outboxDir, stage: "bench", log, onFunctionLog });
  } catch (error) {
    send({
      type: "failed",
      message: error instanceof Error ? error.message : String(error),
      log: recentLog,
    });
    process.exit(1);
  }

  // The API emulator and the Step Functions endpoint call `runner.invoke` on the runner object
  // at each request, so wrapping the method here records every invocation of both.
  let invocations: InvocationRecord[] = [];
  let inFlight = 0;
  const runner = stack.runner;
  const invoke = runner.invoke.bind(runner);
  runner.invoke = async (name: FunctionName, event: unknown): Promise<InvokeResult> => {
    const startedAt = Date.now();
    inFlight++;
    let result: InvokeResult;
    try {
      result = await invoke(name, event);
    } finally {
      inFlight--;
    }
    invocations.push({
      functionName: name,
      startedAt,
      ok: result.ok,
      ...(result.ok ? {} : { errorType: result.error.errorType }),
      durationMs: result.durationMs,
      ...(result.ok && result.initDurationMs !== undefined
        ? { initDurationMs: result.initDurationMs }
        : {}),
    });
    return result;
  };

  const stop = async () => {
    await stack.stop();
    process.exit(0);
  };

  process.on("message", (request: StackRequest) => {
    switch (request.type) {
      case "take-invocations": {
        const records = invocations;
        invocations = [];
        send({ type: "invocations", records });
        break;
      }
      case "in-flight": {
        send({ type: "in-flight", invocations: inFlight });
        break;
      }
      case "recent-log": {
        send({ type: "log", lines: [...recentLog] });
        break;
      }
      case "describe-executions": {
        send({ type: "executions", records: describeExecutions(request.executionNames) });
        break;
      }
      case "stop": {
        void stop();
        break;
      }
    }
  });
  // Without the parent, nothing would stop the stack, and DynamoDB Local would keep running.
  process.on("disconnect", () => void stop());

  send({
    type: "ready",
    apiUrl: stack.apiUrl,
    stepFunctionsUrl: stack.stepFunctionsUrl,
    dynamodbUrl: stack.dynamodbUrl,
    tableName: stack.tableName,
    stateMachineArn: stack.stateMachineArn,
    outboxDir: stack.outboxDir,
  });

  function describeExecutions(executionNames: string[]): ExecutionRecord[] {
    // The API returns only the execution name, so the executions are looked up by name.
    const byName = new Map(
      stack.executions.list(stack.stateMachineArn).map((execution) => [execution.name, execution]),
    );
    const records: ExecutionRecord[] = [];
    for (const executionName of executionNames) {
      // The endpoint keeps a bounded history; older executions are gone, which is fine for a
      // sample.
      const execution = byName.get(executionName);
      if (execution === undefined || execution.stopDate === undefined) continue;
      records.push({
        executionArn: execution.executionArn,
        status: execution.status,
        durationMs: execution.stopDate.getTime() - execution.startDate.getTime(),
        statesEntered: execution.events.filter((event) => event.type.endsWith("StateEntered"))
          .length,
      });
    }
    return records;
  }
}

await main();
