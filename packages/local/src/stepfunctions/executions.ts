import { randomUUID } from "node:crypto";
import {
  ExecutionAbortedError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from "aws-local-stepfunctions";
import { apiErrors, LambdaFunctionError, TerminalStatesError } from "./errors.ts";
import { type HistoryEvent, HistoryRecorder } from "./history.ts";

/** Step Functions' limit on an execution's input and on each state's data, in UTF-8 bytes. */
export const payloadLimitBytes = 262_144;

/** How long an Express execution may run before Step Functions stops it as timed out. */
const expressMaxDurationMs = 5 * 60 * 1000;

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export interface StateMachineSpec {
  name: string;
  arn: string;
  type: "EXPRESS" | "STANDARD";
  definition: unknown;
  roleArn?: string;
}

/** The result of invoking a Lambda function, as the local Lambda runner reports it. */
export type InvokeOutcome =
  | { ok: true; payload: unknown }
  | { ok: false; error: { errorType: string; errorMessage: string } };

/**
 * Invokes the Lambda function with this ARN. An unknown ARN is an outcome too, with Lambda's
 * `Lambda.ResourceNotFoundException`.
 */
export type InvokeLambda = (functionArn: string, payload: unknown) => Promise<InvokeOutcome>;

export interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
  /** Settles when the execution has stopped, whatever its status. */
  finished: Promise<void>;
}

export interface ExecutionServiceOptions {
  region: string;
  accountId: string;
  stateMachines: StateMachineSpec[];
  invokeLambda: InvokeLambda;
  /** Finished executions kept for DescribeExecution and GetExecutionHistory; the oldest go first. */
  historyLimit?: number;
  onExecutionFinished?: (execution: Execution) => void;
}

// Characters Step Functions rejects in an execution name, besides whitespace and control characters.
const forbiddenNameCharacters = new Set('<>{}[]?*"#%\\^|~`$&,;:/');

/** Runs state machine definitions with `aws-local-stepfunctions` and keeps their executions. */
export class ExecutionService {
  readonly #machines = new Map<string, { spec: StateMachineSpec; machine: StateMachine }>();
  readonly #executions = new Map<string, Execution>();
  readonly #abortRunning = new Map<string, () => void>();
  readonly #options: ExecutionServiceOptions;
  readonly #historyLimit: number;

  constructor(options: ExecutionServiceOptions) {
    this.#options = options;
    this.#historyLimit = options.historyLimit ?? 500;
    for (const spec of options.stateMachines) this.register(spec);
  }

  /** Adds a state machine; its definition is validated as Step Functions validates it. */
  register(spec: StateMachineSpec): void {
    // The interpreter adds fields such as QueryLanguage to the definition it is given, so it
    // gets a copy and `spec.definition` stays exactly what the caller registered.
    const machine = new StateMachine(structuredClone(spec.definition) as StateMachineDefinition, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
    this.#machines.set(spec.arn, { spec, machine });
  }

  get stateMachines(): StateMachineSpec[] {
    return [...this.#machines.values()].map(({ spec }) => spec);
  }

  /** Starts an execution and returns it at once; `finished` settles when it stops. */
  start(stateMachineArn: unknown, input: unknown, name: unknown): Execution {
    const { spec, machine } = this.#findMachine(stateMachineArn);
    const inputText = parseInput(input);
    const executionName = parseName(name);

    const executionArn =
      spec.type === "EXPRESS"
        ? `arn:aws:states:${this.#options.region}:${this.#options.accountId}:express:${spec.name}:${executionName}:${randomUUID()}`
        : `arn:aws:states:${this.#options.region}:${this.#options.accountId}:execution:${spec.name}:${executionName}`;
    if (this.#executions.has(executionArn)) {
      throw apiErrors.validation(`Execution Already Exists: '${executionArn}'`);
    }

    const history = new HistoryRecorder(spec.roleArn ?? this.#defaultRoleArn(spec.name));
    const execution: Execution = {
      executionArn,
      stateMachineArn: spec.arn,
      name: executionName,
      status: "RUNNING",
      startDate: new Date(),
      input: inputText,
      events: history.events,
      finished: Promise.resolve(),
    };
    this.#executions.set(executionArn, execution);
    this.#evictOldExecutions();

    execution.finished = this.#run(execution, spec, machine, history);
    return execution;
  }

  describe(executionArn: unknown): Execution {
    if (typeof executionArn !== "string" || !executionArn.startsWith("arn:aws:states:")) {
      throw apiErrors.invalidArn("executionArn", executionArn);
    }
    const execution = this.#executions.get(executionArn);
    if (execution === undefined) throw apiErrors.executionDoesNotExist(executionArn);
    return execution;
  }

  /** Lists the executions of one state machine, newest first. */
  list(stateMachineArn: unknown, statusFilter?: unknown): Execution[] {
    const { spec } = this.#findMachine(stateMachineArn);
    if (statusFilter !== undefined && !isExecutionStatus(statusFilter)) {
      throw apiErrors.validation(
        `1 validation error detected: Value '${String(statusFilter)}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED]`,
      );
    }

    return [...this.#executions.values()]
      .filter((execution) => execution.stateMachineArn === spec.arn)
      .filter((execution) => statusFilter === undefined || execution.status === statusFilter)
      .reverse();
  }

  /** Aborts every running execution; each ends as ABORTED. */
  abortAll(): void {
    for (const abort of this.#abortRunning.values()) abort();
  }

  /** Waits until every running execution has stopped. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#executions.values()].map((execution) => execution.finished));
  }

  #findMachine(stateMachineArn: unknown) {
    if (typeof stateMachineArn !== "string" || stateMachineArn.length === 0) {
      throw apiErrors.validation(
        "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null",
      );
    }
    if (!/^arn:aws:states:[^:]+:\d{12}:stateMachine:[^:]+$/.test(stateMachineArn)) {
      throw apiErrors.invalidArn("stateMachineArn", stateMachineArn);
    }

    const found = this.#machines.get(stateMachineArn);
    if (found === undefined) throw apiErrors.stateMachineDoesNotExist(stateMachineArn);
    return found;
  }

  #defaultRoleArn(stateMachineName: string): string {
    return `arn:aws:iam::${this.#options.accountId}:role/${stateMachineName}-role`;
  }

  async #run(
    execution: Execution,
    spec: StateMachineSpec,
    machine: StateMachine,
    history: HistoryRecorder,
  ): Promise<void> {
    const run = machine.run(JSON.parse(execution.input), {
      overrides: { taskResourceLocalHandlers: this.#taskHandlers(spec, history) },
      context: {
        Execution: {
          Id: execution.executionArn,
          Input: JSON.parse(execution.input),
          Name: execution.name,
          RoleArn: spec.roleArn ?? this.#defaultRoleArn(spec.name),
          StartTime: execution.startDate.toISOString(),
        },
        StateMachine: { Id: spec.arn, Name: spec.name },
      },
    });

    this.#abortRunning.set(execution.executionArn, () => run.abort());
    const recording = (async () => {
      for await (const event of run.eventLogs) history.add(event);
    })();

    let timedOut = false;
    const expressTimer =
      spec.type === "EXPRESS"
        ? setTimeout(() => {
            timedOut = true;
            run.abort();
          }, expressMaxDurationMs)
        : undefined;

    try {
      const output = await run.result;
      const outputText = JSON.stringify(output ?? null);
      if (Buffer.byteLength(outputText, "utf8") > payloadLimitBytes) {
        this.#stop(execution, "FAILED", {
          error: "States.DataLimitExceeded",
          cause: `The execution output is larger than ${payloadLimitBytes} bytes.`,
        });
      } else {
        this.#stop(execution, "SUCCEEDED", { output: outputText });
      }
    } catch (error) {
      if (
        error instanceof ExecutionTimeoutError ||
        (timedOut && error instanceof ExecutionAbortedError)
      ) {
        this.#stop(execution, "TIMED_OUT", {
          error: "States.Timeout",
          cause: "The execution ran past its maximum duration.",
        });
      } else if (error instanceof ExecutionAbortedError) {
        this.#stop(execution, "ABORTED", {});
      } else {
        this.#stop(execution, "FAILED", failureOf(error));
      }
    } finally {
      this.#abortRunning.delete(execution.executionArn);
      clearTimeout(expressTimer);
      await recording.catch(() => {});
      this.#options.onExecutionFinished?.(execution);
    }
  }

  /**
   * Maps each Task state to the local Lambda runner: the state's `Resource` names the function by
   * ARN, and a function error is thrown under its `errorType` so `Retry` and `Catch` match by name.
   */
  #taskHandlers(spec: StateMachineSpec, history: HistoryRecorder) {
    const handlers: Record<string, (input: unknown) => Promise<never>> = {};
    for (const [stateName, resource] of taskResources(spec.definition)) {
      handlers[stateName] = async (input) => {
        const finish = history.startInvocation(stateName, resource, JSON.stringify(input ?? null));
        let target: ReturnType<typeof lambdaTarget>;
        try {
          target = lambdaTarget(resource, input);
        } catch (error) {
          const { name, message } = error as Error;
          finish({ error: name, cause: message, timedOut: false });
          throw error;
        }
        const outcome = await this.#options.invokeLambda(target.functionArn, target.payload);

        if (!outcome.ok) {
          const error = new LambdaFunctionError(
            outcome.error.errorType,
            outcome.error.errorMessage,
          );
          finish({
            error: error.name,
            cause: error.message,
            timedOut: error.name === "Sandbox.Timedout",
          });
          throw error;
        }

        const result = target.wrapResult(outcome.payload);
        const outputText = JSON.stringify(result ?? null);
        finish({ output: outputText });
        if (Buffer.byteLength(outputText, "utf8") > payloadLimitBytes) {
          // NOTE: Step Functions checks every state's input and output against the limit; this
          // endpoint checks Task results and the execution output only.
          throw new TerminalStatesError(
            "States.DataLimitExceeded",
            `The output of state '${stateName}' is larger than ${payloadLimitBytes} bytes.`,
          );
        }
        return result as never;
      };
    }
    return handlers;
  }

  #stop(
    execution: Execution,
    status: Exclude<ExecutionStatus, "RUNNING">,
    fields: Partial<Pick<Execution, "output" | "error" | "cause">>,
  ): void {
    execution.status = status;
    execution.stopDate = new Date();
    Object.assign(execution, fields);
  }

  #evictOldExecutions(): void {
    for (const [arn, execution] of this.#executions) {
      if (this.#executions.size <= this.#historyLimit) return;
      if (execution.status !== "RUNNING") this.#executions.delete(arn);
    }
  }
}

/** Lists every Task state of a definition, nested Parallel and Map states included. */
function taskResources(definition: unknown): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const visit = (machine: unknown) => {
    const states = (machine as { States?: Record<string, Record<string, unknown>> }).States ?? {};
    for (const [stateName, state] of Object.entries(states)) {
      if (state.Type === "Task" && typeof state.Resource === "string") {
        found.push([stateName, state.Resource]);
      }
      for (const branch of (state.Branches as unknown[] | undefined) ?? []) visit(branch);
      if (state.ItemProcessor) visit(state.ItemProcessor);
      if (state.Iterator) visit(state.Iterator);
    }
  };
  visit(definition);
  return found;
}

const lambdaInvokeIntegration = /^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/;

/**
 * Resolves which function a Task state calls and what it receives. A Lambda ARN as `Resource`
 * passes the state input as the event and returns the function's result. The optimized
 * `arn:aws:states:::lambda:invoke` integration takes `FunctionName` and `Payload` parameters and
 * wraps the result in `Payload`, as Step Functions does.
 */
function lambdaTarget(resource: string, input: unknown) {
  if (!lambdaInvokeIntegration.test(resource)) {
    return { functionArn: resource, payload: input, wrapResult: (payload: unknown) => payload };
  }

  const parameters = (input ?? {}) as { FunctionName?: unknown; Payload?: unknown };
  if (typeof parameters.FunctionName !== "string") {
    throw new TerminalStatesError(
      "States.Runtime",
      "The lambda:invoke task has no FunctionName parameter.",
    );
  }
  return {
    functionArn: parameters.FunctionName,
    payload: parameters.Payload ?? input,
    wrapResult: (payload: unknown) => ({
      ExecutedVersion: "$LATEST",
      Payload: payload,
      StatusCode: 200,
    }),
  };
}

function parseInput(input: unknown): string {
  if (input === undefined || input === null) return "{}";
  if (typeof input !== "string") {
    throw apiErrors.serialization("Start of structure or map found where not expected: input");
  }
  if (Buffer.byteLength(input, "utf8") > payloadLimitBytes) {
    throw apiErrors.validation(
      `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${payloadLimitBytes}`,
    );
  }

  try {
    JSON.parse(input);
  } catch (error) {
    throw apiErrors.invalidExecutionInput(
      `${input.slice(0, 100)}': ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return input;
}

function parseName(name: unknown): string {
  if (name === undefined || name === null) return randomUUID();
  if (typeof name !== "string" || !isValidExecutionName(name)) {
    throw apiErrors.invalidName(String(name));
  }
  return name;
}

function isValidExecutionName(name: string): boolean {
  if (name.length < 1 || name.length > 80) return false;
  for (const character of name) {
    const code = character.codePointAt(0) ?? 0;
    const isControl = code <= 0x1f || (code >= 0x7f && code <= 0x9f);
    if (isControl || /\s/.test(character) || forbiddenNameCharacters.has(character)) return false;
  }
  return true;
}

function isExecutionStatus(value: unknown): value is ExecutionStatus {
  return ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"].includes(value as string);
}

/** Reads the error name and cause of a failed run, as the interpreter reports them. */
function failureOf(error: unknown): { error: string; cause: string } {
  const root = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (root instanceof Error) {
    return { error: root.name, cause: root.message };
  }
  return { error: "States.Runtime", cause: String(root) };
}
