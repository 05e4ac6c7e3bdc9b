/**
 * The runtime inside one function instance (a worker thread): it loads the handler bundle once,
 * then runs one invocation at a time with a Lambda `Context`, as a Lambda sandbox does. The runner
 * bundles this file with esbuild before it starts workers, so it may import only Node built-ins
 * and types.
 */
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { parentPort, workerData } from "node:worker_threads";
import type { Context } from "aws-lambda";
import type { InstanceData, InvokeMessage, LambdaError, WorkerMessage } from "./protocol.ts";

type Handler = (event: unknown, context: Context) => unknown;

const port = parentPort;
if (port === null) {
  throw new Error("worker.ts must run in a worker thread");
}
const instance = workerData as InstanceData;

// Mapped stack traces cost about 150 ms per cold start (a small bundle on a 2-core machine), so the
// runner lets callers turn them off.
if (instance.sourceMaps) {
  process.setSourceMapsEnabled(true);
}

function send(message: WorkerMessage): void {
  port?.postMessage(message);
}

function toLambdaError(value: unknown): { error: LambdaError; stack?: string } {
  if (value instanceof Error) {
    return {
      error: { errorType: value.name, errorMessage: value.message },
      ...(value.stack === undefined ? {} : { stack: value.stack }),
    };
  }
  return { error: { errorType: "Error", errorMessage: String(value) } };
}

// Lambda's Node runtime writes each console call as one record: timestamp, request id (the
// literal "undefined" outside an invocation), level and message, separated by tabs.
let currentRequestId: string | undefined;

function patchConsole(): void {
  const levels = [
    ["log", "INFO"],
    ["info", "INFO"],
    ["warn", "WARN"],
    ["error", "ERROR"],
    ["debug", "DEBUG"],
    ["trace", "TRACE"],
  ] as const;
  for (const [method, level] of levels) {
    console[method] = (...args: unknown[]) => {
      const line = `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(...args)}`;
      send({ type: "log", line });
    };
  }
}

async function loadHandler(): Promise<Handler | undefined> {
  const started = performance.now();
  try {
    const module = (await import(pathToFileURL(instance.bundle).href)) as Record<string, unknown>;
    const handler = module[instance.exportName];
    if (typeof handler !== "function") {
      send({
        type: "init-error",
        error: {
          errorType: "Runtime.HandlerNotFound",
          errorMessage: `${instance.handler} is undefined or not exported`,
        },
      });
      return undefined;
    }
    send({ type: "ready", initDurationMs: performance.now() - started });
    return handler as Handler;
  } catch (error) {
    const failure = toLambdaError(error);
    if (error instanceof Error && "code" in error && error.code === "ERR_MODULE_NOT_FOUND") {
      failure.error = { errorType: "Runtime.ImportModuleError", errorMessage: error.message };
    }
    send({ type: "init-error", ...failure });
    return undefined;
  }
}

function createContext(message: InvokeMessage): Context {
  const context: Context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: instance.functionName,
    functionVersion: instance.functionVersion,
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: instance.memoryLimitInMB,
    awsRequestId: message.requestId,
    logGroupName: instance.logGroupName,
    logStreamName: instance.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
    // The Node.js 24 runtime dropped callback-style handlers (AWS CDK v2.259.0 release notes).
    // This runner supports none of the legacy completion methods: they exist for the type only.
    done: () => {
      throw new Error("context.done is not supported: return a value or a promise instead");
    },
    fail: () => {
      throw new Error("context.fail is not supported: throw an error instead");
    },
    succeed: () => {
      throw new Error("context.succeed is not supported: return a value instead");
    },
  };
  return context;
}

async function invoke(handler: Handler, message: InvokeMessage): Promise<void> {
  currentRequestId = message.requestId;
  try {
    const event: unknown = JSON.parse(message.event);
    const result = await handler(event, createContext(message));
    const payload = JSON.stringify(result === undefined ? null : result);
    send({ type: "result", requestId: message.requestId, payload });
  } catch (error) {
    send({ type: "error", requestId: message.requestId, ...toLambdaError(error) });
  } finally {
    currentRequestId = undefined;
  }
}

// Lambda's Node runtime fails the current invocation with Runtime.UnhandledPromiseRejection when a
// promise rejects unhandled, and then restarts the runtime.
process.on("unhandledRejection", (reason) => {
  const { error, stack } = toLambdaError(reason);
  if (currentRequestId !== undefined) {
    send({
      type: "error",
      requestId: currentRequestId,
      error: {
        errorType: "Runtime.UnhandledPromiseRejection",
        errorMessage: `${error.errorType}: ${error.errorMessage}`,
      },
      ...(stack === undefined ? {} : { stack }),
      fatal: true,
    });
  }
  process.exit(1);
});

patchConsole();
const handler = await loadHandler();
if (handler !== undefined) {
  port.on("message", (message: InvokeMessage) => {
    void invoke(handler, message);
  });
}
