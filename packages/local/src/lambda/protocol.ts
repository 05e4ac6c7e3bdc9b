/** Messages between the runner and one function instance running in a worker thread. */

/** Data a worker starts with: which bundle to load and how to describe itself in `Context`. */
export interface InstanceData {
  bundle: string;
  exportName: string;
  handler: string;
  functionName: string;
  functionVersion: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  /** Whether stack traces map back to the handler's source files. */
  sourceMaps: boolean;
}

export interface LambdaError {
  errorType: string;
  errorMessage: string;
}

export interface InvokeMessage {
  type: "invoke";
  requestId: string;
  /** The event as JSON text, because Lambda delivers events as JSON. */
  event: string;
  /** Epoch milliseconds at which the invocation times out. */
  deadline: number;
  invokedFunctionArn: string;
}

export type WorkerMessage =
  | { type: "ready"; initDurationMs: number }
  | { type: "init-error"; error: LambdaError; stack?: string }
  | { type: "log"; line: string }
  | { type: "result"; requestId: string; payload: string }
  | {
      type: "error";
      requestId: string;
      error: LambdaError;
      stack?: string;
      /** Set when the instance exits after this error and must not be reused. */
      fatal?: boolean;
    };
