import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import type { FunctionName, FunctionSpec } from "../../../../stacks/manifest.ts";
import { type BuiltHandler, bundleHandlers, resolveHandler } from "./build.ts";
import { type FaultInjector, serviceException, tooManyRequests } from "./faults.ts";
import type { InstanceData, InvokeMessage, LambdaError, WorkerMessage } from "./protocol.ts";

export interface LocalFunction {
  name: FunctionName;
  spec: FunctionSpec;
  /** Variables set for the function besides Lambda's reserved ones, e.g. its `SST_RESOURCE_*` links. */
  environment: Record<string, string>;
}

export interface LambdaRunnerOptions {
  functions: LocalFunction[];
  /** Directory that the manifest's handler paths are relative to: the repository root. */
  rootDir: string;
  /** Directory for the bundles, with one subdirectory per function. */
  buildDir: string;
  faults?: FaultInjector;
  /** Receives every line a function writes to its console or standard streams. */
  onLog?: (fn: FunctionName, line: string) => void;
  /**
   * Maximum number of instances per function that run at once. A call beyond it waits for a free
   * instance, because Lambda would have scaled out, so failing it would be an artefact of this
   * machine. Tests arm a `throttle` fault to see Lambda's throttling.
   */
  maxConcurrency?: number;
  /** Account id in ARNs. */
  accountId?: string;
  /** Whether logged stack traces point into the handler's sources; true unless set. */
  sourceMaps?: boolean;
  /**
   * Milliseconds a new instance may take to load its handler before the whole load counts against
   * the first invocation's timeout. The default is 10 s, Lambda's Init limit for on-demand functions.
   */
  initTimeoutMs?: number;
}

/**
 * Outcome of one synchronous invocation. `durationMs` is the caller's wall time, including a cold
 * start or a wait for a free instance, and `requestId` is the function's `awsRequestId`.
 */
export type InvokeResult =
  | {
      ok: true;
      payload: unknown;
      durationMs: number;
      /** Set on the first invocation of a new instance (a cold start). */
      initDurationMs?: number;
      requestId: string;
    }
  | { ok: false; error: LambdaError; durationMs: number; requestId: string };

export type { LambdaError } from "./protocol.ts";

const defaultMaxConcurrency = 16;
const defaultAccountId = "000000000000";
const defaultRegion = "us-east-1";
const defaultInitTimeoutMs = 10_000;

// Lambda limits the request and the response of a synchronous invocation to 6 MB each.
const maxPayloadBytes = 6 * 1024 * 1024;

const workerSource = fileURLToPath(new URL("./worker.ts", import.meta.url));

interface Invocation {
  requestId: string;
  settle: (message: WorkerMessage | { type: "exit"; error: LambdaError }) => void;
}

interface Instance {
  worker: Worker;
  /** Set from the first `ready` message until the first invocation has reported it. */
  initDurationMs?: number;
  /**
   * `performance.now()` time from which the first invocation's timeout runs, set when the load
   * outlasted the Init limit. Otherwise the timeout runs from the start of the invocation.
   */
  timeoutFrom?: number;
  current?: Invocation;
  dead: boolean;
}

type Acquired = Instance | { initError: LambdaError; stack?: string };

interface FunctionState {
  fn: LocalFunction;
  built: BuiltHandler;
  region: string;
  instances: Set<Instance>;
  idle: Instance[];
  /** Calls waiting for an instance while the pool is at its limit, first come first served. */
  waiting: ((acquired: Acquired) => void)[];
}

function logStreamName(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll("-", "/");
  return `${day}/[$LATEST]${randomBytes(16).toString("hex")}`;
}

/**
 * Converts a time left on performance.now()'s clock into a setTimeout delay. Node's timers count
 * whole milliseconds and were seen to fire early on that clock (a 2 s timeout at 1999.6 ms). The
 * extra millisecond keeps a reported timeout from falling short of the limit.
 */
function timerDelay(remainingMs: number): number {
  return Math.max(0, Math.ceil(remainingMs)) + 1;
}

/** Formats the error record Lambda's Node runtime logs when an invocation fails. */
function errorRecord(requestId: string, error: LambdaError, stack?: string): string {
  const detail = JSON.stringify({ ...error, ...(stack === undefined ? {} : { stack }) });
  return `${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${detail}`;
}

/**
 * Runs the app's Lambda handlers offline. Each function instance is a worker thread that gets only
 * that function's environment and runs one invocation at a time. Warm instances are reused and
 * keep their module state, and the pool grows on concurrent demand up to `maxConcurrency`.
 */
export class LambdaRunner {
  readonly #functions = new Map<FunctionName, FunctionState>();
  readonly #options: LambdaRunnerOptions;
  readonly #workerBundle: string;
  #stopped = false;

  private constructor(options: LambdaRunnerOptions, workerBundle: string) {
    this.#options = options;
    this.#workerBundle = workerBundle;
  }

  /** Bundles every function and the worker runtime, then returns a ready runner. */
  static async start(options: LambdaRunnerOptions): Promise<LambdaRunner> {
    const workerBundle = path.join(options.buildDir, "_runtime", "worker.mjs");
    const runtimeBuild = build({
      entryPoints: [workerSource],
      outfile: workerBundle,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node24",
      logLevel: "silent",
    });

    const handlers = options.functions.map((fn) => ({
      functionName: fn.name,
      location: resolveHandler(options.rootDir, fn.spec.handler),
    }));
    const [, bundles] = await Promise.all([
      runtimeBuild,
      bundleHandlers(handlers, options.buildDir),
    ]);

    const runner = new LambdaRunner(options, workerBundle);
    for (const [index, fn] of options.functions.entries()) {
      const built = bundles[index] as BuiltHandler;
      runner.#functions.set(fn.name, {
        fn,
        built,
        region: fn.environment.AWS_REGION ?? defaultRegion,
        instances: new Set(),
        idle: [],
        waiting: [],
      });
    }
    return runner;
  }

  /** Returns the ARN the function would have on AWS, in the region its environment names. */
  arnOf(name: FunctionName): string {
    const state = this.#state(name);
    const account = this.#options.accountId ?? defaultAccountId;
    return `arn:aws:lambda:${state.region}:${account}:function:${name}`;
  }

  /** Invokes a function synchronously (RequestResponse) with a JSON-serializable event. */
  async invoke(name: FunctionName, event: unknown): Promise<InvokeResult> {
    if (this.#stopped) {
      throw new Error(`Cannot invoke ${name}: the Lambda runner is stopped`);
    }
    const state = this.#state(name);
    const requestId = randomUUID();
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const failure = (error: LambdaError): InvokeResult => ({
      ok: false,
      error,
      durationMs: elapsed(),
      requestId,
    });

    const fault = this.#options.faults?.take(name);
    if (fault !== undefined) {
      this.#log(
        name,
        `${new Date().toISOString()}\t${requestId}\tWARN\tInjected fault: ${fault.kind}`,
      );
    }
    if (fault?.kind === "fail-before") {
      return failure(faultError(fault));
    }
    if (fault?.kind === "throttle") {
      return failure(tooManyRequests);
    }

    let body: string;
    try {
      body = JSON.stringify(event === undefined ? null : event);
    } catch (error) {
      return failure({
        errorType: "Lambda.InvalidRequestContentException",
        errorMessage: `The event is not serializable as JSON: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    if (Buffer.byteLength(body) > maxPayloadBytes) {
      return failure({
        errorType: "Lambda.RequestTooLargeException",
        errorMessage: `Request must be smaller than ${maxPayloadBytes} bytes for the InvokeFunction operation`,
      });
    }

    const instance = await this.#acquire(state);
    if ("initError" in instance) {
      this.#log(name, errorRecord(requestId, instance.initError, instance.stack));
      return failure(instance.initError);
    }

    const outcome = await this.#run(
      state,
      instance,
      { type: "invoke", requestId, event: body, invokedFunctionArn: this.arnOf(name) },
      fault?.kind === "timeout",
    );
    const initDurationMs = instance.initDurationMs;
    instance.initDurationMs = undefined;

    if (outcome.type === "result") {
      if (fault?.kind === "fail-after") {
        return failure(faultError(fault));
      }
      const responseBytes = Buffer.byteLength(outcome.payload);
      if (responseBytes > maxPayloadBytes) {
        const error = {
          errorType: "Function.ResponseSizeTooLarge",
          errorMessage: `Response payload size (${responseBytes} bytes) exceeded the maximum of ${maxPayloadBytes} bytes`,
        };
        this.#log(name, errorRecord(requestId, error));
        return failure(error);
      }
      return {
        ok: true,
        payload: JSON.parse(outcome.payload),
        durationMs: elapsed(),
        ...(initDurationMs === undefined ? {} : { initDurationMs }),
        requestId,
      };
    }

    this.#log(name, errorRecord(requestId, outcome.error, outcome.stack));
    return failure(outcome.error);
  }

  /** Terminates every instance; invocations still running end with `Runtime.ExitError`. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const terminations: Promise<number>[] = [];
    for (const state of this.#functions.values()) {
      for (const instance of state.instances) {
        instance.dead = true;
        terminations.push(instance.worker.terminate());
      }
      state.instances.clear();
      state.idle.length = 0;
      for (const waiter of state.waiting.splice(0)) {
        waiter({
          initError: { errorType: "Runtime.ExitError", errorMessage: "The Lambda runner stopped" },
        });
      }
    }
    await Promise.all(terminations);
  }

  #state(name: FunctionName): FunctionState {
    const state = this.#functions.get(name);
    if (state === undefined) {
      const known = [...this.#functions.keys()].join(", ");
      throw new Error(`Unknown function "${name}": the runner has ${known}`);
    }
    return state;
  }

  #log(name: FunctionName, line: string): void {
    const onLog = this.#options.onLog ?? ((fn, text) => process.stdout.write(`${fn} ${text}\n`));
    for (const part of line.split("\n")) {
      onLog(name, part);
    }
  }

  #pipeLines(name: FunctionName, stream: Readable): void {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) =>
      this.#log(name, line),
    );
  }

  /**
   * Takes a warm idle instance, or starts a new one while the pool is below its limit, or else
   * waits until an instance is released or retired.
   */
  #acquire(state: FunctionState): Promise<Acquired> {
    const warm = state.idle.pop();
    if (warm !== undefined) {
      return Promise.resolve(warm);
    }
    if (state.instances.size < (this.#options.maxConcurrency ?? defaultMaxConcurrency)) {
      return this.#startInstance(state);
    }
    return new Promise((resolve) => state.waiting.push(resolve));
  }

  /** Hands a finished instance to the next waiting call, or keeps it warm. */
  #release(state: FunctionState, instance: Instance): void {
    if (instance.dead || this.#stopped) {
      return;
    }
    const waiter = state.waiting.shift();
    if (waiter !== undefined) {
      waiter(instance);
      return;
    }
    state.idle.push(instance);
  }

  /** Removes an instance from the pool for good, and starts a replacement for a waiting call. */
  #retire(state: FunctionState, instance: Instance): void {
    if (instance.dead) {
      return;
    }
    instance.dead = true;
    state.instances.delete(instance);
    const index = state.idle.indexOf(instance);
    if (index >= 0) {
      state.idle.splice(index, 1);
    }

    const waiter = this.#stopped ? undefined : state.waiting.shift();
    if (waiter !== undefined) {
      void this.#startInstance(state).then(waiter);
    }
  }

  #startInstance(state: FunctionState): Promise<Acquired> {
    const { fn, built } = state;
    const streamName = logStreamName();
    const logGroupName = `/aws/lambda/${fn.name}`;
    const data: InstanceData = {
      bundle: built.bundle,
      exportName: built.exportName,
      handler: fn.spec.handler,
      functionName: fn.name,
      functionVersion: "$LATEST",
      memoryLimitInMB: String(fn.spec.memory),
      logGroupName,
      logStreamName: streamName,
      sourceMaps: this.#options.sourceMaps ?? true,
    };

    // The reserved variables come last because Lambda does not let a function override them.
    const env: Record<string, string> = {
      ...fn.environment,
      AWS_REGION: state.region,
      AWS_DEFAULT_REGION: state.region,
      AWS_EXECUTION_ENV: "AWS_Lambda_nodejs24.x",
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.spec.memory),
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      AWS_LAMBDA_LOG_GROUP_NAME: logGroupName,
      AWS_LAMBDA_LOG_STREAM_NAME: streamName,
      LAMBDA_TASK_ROOT: path.dirname(built.bundle),
      _HANDLER: `${path.parse(built.bundle).name}.${built.exportName}`,
      // NOTE: TZ is set for code that reads it, but a worker thread shares the process's time
      // zone, so Date uses whatever zone the runner's process has.
      TZ: ":UTC",
      LANG: "en_US.UTF-8",
      PATH: "/usr/local/bin:/usr/bin:/bin",
    };

    const spawned = performance.now();
    const worker = new Worker(this.#workerBundle, {
      workerData: data,
      env,
      // Without this the worker inherits the parent's flags, such as tsx's loader, which then
      // transforms every bundle again and made cold starts several times slower.
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: fn.spec.memory },
    });
    this.#pipeLines(fn.name, worker.stdout);
    this.#pipeLines(fn.name, worker.stderr);

    const instance: Instance = { worker, dead: false };
    state.instances.add(instance);
    const retire = () => this.#retire(state, instance);

    return new Promise((resolve) => {
      let initialized = false;

      // Lambda retries an Init phase over its 10 s limit within the first invocation, under the function's timeout ("Init phase" in https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
      // Here the instance keeps loading instead of starting over, and its whole load counts against
      // the timeout, so the call succeeds when the load and the handler fit in it, as on Lambda.
      const timeoutMs = fn.spec.timeout * 1000;
      const initTimeoutMs = this.#options.initTimeoutMs ?? defaultInitTimeoutMs;
      let initTimer = setTimeout(() => {
        instance.timeoutFrom = spawned;
        initTimer = setTimeout(
          () => {
            retire();
            void worker.terminate();
            resolve({
              initError: {
                errorType: "Sandbox.Timedout",
                errorMessage: `Task timed out after ${fn.spec.timeout.toFixed(2)} seconds`,
              },
            });
          },
          timerDelay(spawned + timeoutMs - performance.now()),
        );
      }, initTimeoutMs);

      worker.on("message", (message: WorkerMessage) => {
        if (message.type === "ready" || message.type === "init-error") {
          clearTimeout(initTimer);
        }
        switch (message.type) {
          case "ready":
            initialized = true;
            // Lambda's Init Duration covers the runtime start and the module import.
            instance.initDurationMs = performance.now() - spawned;
            resolve(instance);
            return;
          case "init-error":
            retire();
            void worker.terminate();
            resolve({
              initError: message.error,
              ...(message.stack === undefined ? {} : { stack: message.stack }),
            });
            return;
          case "log":
            this.#log(fn.name, message.line);
            return;
          default:
            instance.current?.settle(message);
        }
      });

      worker.on("error", (error: Error & { code?: string }) => {
        const lambdaError =
          error.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? { errorType: "Runtime.OutOfMemory", errorMessage: "Runtime exited: out of memory" }
            : { errorType: error.name, errorMessage: error.message };
        retire();
        if (!initialized) {
          clearTimeout(initTimer);
          resolve({ initError: lambdaError, ...(error.stack ? { stack: error.stack } : {}) });
          return;
        }
        instance.current?.settle({ type: "exit", error: lambdaError });
      });

      worker.on("exit", (code) => {
        const lambdaError = {
          errorType: "Runtime.ExitError",
          errorMessage: `Runtime exited with error: exit status ${code}`,
        };
        retire();
        if (!initialized) {
          clearTimeout(initTimer);
          resolve({ initError: lambdaError });
          return;
        }
        instance.current?.settle({ type: "exit", error: lambdaError });
      });
    });
  }

  /**
   * Runs one invocation on an instance and returns its outcome. When the function's timeout
   * passes first, the instance is terminated, as Lambda discards a sandbox that timed out.
   * `holdResult` keeps the result back so that the call times out after the handler ran.
   */
  #run(
    state: FunctionState,
    instance: Instance,
    invocation: Omit<InvokeMessage, "deadline">,
    holdResult: boolean,
  ): Promise<
    { type: "result"; payload: string } | { type: "error"; error: LambdaError; stack?: string }
  > {
    const started = instance.timeoutFrom ?? performance.now();
    instance.timeoutFrom = undefined;
    const remainingMs = Math.max(0, started + state.fn.spec.timeout * 1000 - performance.now());
    const message: InvokeMessage = { ...invocation, deadline: Date.now() + remainingMs };

    return new Promise((resolve) => {
      const finish = (
        outcome:
          | { type: "result"; payload: string }
          | { type: "error"; error: LambdaError; stack?: string },
        reusable: boolean,
      ) => {
        clearTimeout(timer);
        instance.current = undefined;
        if (reusable) {
          this.#release(state, instance);
        }
        resolve(outcome);
      };

      // Sandbox.Timedout is the error type the Lambda developer guide names for a timeout
      // (https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html). The message
      // follows the line Lambda logs, e.g. "Task timed out after 3.00 seconds", with the elapsed time.
      const timer = setTimeout(() => {
        const seconds = ((performance.now() - started) / 1000).toFixed(2);
        const errorMessage = `Task timed out after ${seconds} seconds`;
        this.#log(
          state.fn.name,
          `${new Date().toISOString()} ${message.requestId} ${errorMessage}`,
        );
        instance.current = undefined;
        this.#retire(state, instance);
        void instance.worker.terminate();
        finish({ type: "error", error: { errorType: "Sandbox.Timedout", errorMessage } }, false);
      }, timerDelay(remainingMs));

      instance.current = {
        requestId: message.requestId,
        settle: (reply) => {
          if (reply.type === "result" && reply.requestId === message.requestId) {
            if (!holdResult) {
              finish({ type: "result", payload: reply.payload }, true);
            }
            return;
          }
          if (reply.type === "error" && reply.requestId === message.requestId) {
            if (!holdResult) {
              finish(
                {
                  type: "error",
                  error: reply.error,
                  ...(reply.stack === undefined ? {} : { stack: reply.stack }),
                },
                reply.fatal !== true,
              );
            }
            return;
          }
          if (reply.type === "exit") {
            finish({ type: "error", error: reply.error }, false);
          }
        },
      };
      instance.worker.postMessage(message);
    });
  }
}

function faultError(fault: { errorType?: string; errorMessage?: string }): LambdaError {
  return {
    errorType: fault.errorType ?? serviceException.errorType,
    errorMessage: fault.errorMessage ?? serviceException.errorMessage,
  };
}
