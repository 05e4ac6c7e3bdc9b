import type { StateMachine } from "aws-local-stepfunctions";

/** One entry of the interpreter's event log; the package does not export the type by name. */
export type EventLog =
  ReturnType<StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer Event> ? Event : never;

/** One event of an execution's history, shaped as GetExecutionHistory returns it. */
export interface HistoryEvent {
  timestamp: Date;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

/** One finished Lambda invocation of a Task state, as the local endpoint observed it. */
export interface TaskInvocation {
  resource: string;
  input: string;
  startedAt: number;
  endedAt: number;
  outcome: { output: string } | { error: string; cause: string; timedOut: boolean };
}

// History events describe their data with `truncated`, unlike DescribeExecution's `included`.
const notTruncated = { truncated: false };

/**
 * Builds an execution's history in Step Functions' event vocabulary (`TaskStateEntered`,
 * `LambdaFunctionScheduled`, `ExecutionSucceeded` and so on) from the interpreter's event log and
 * the Lambda invocations seen by the Task handlers.
 */
export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  readonly #invocations = new Map<string, TaskInvocation[]>();
  readonly #roleArn: string;

  constructor(roleArn: string) {
    this.#roleArn = roleArn;
  }

  /** Records a Task state's Lambda invocation; the matching interpreter event adds it. */
  recordInvocation(stateName: string, invocation: TaskInvocation): void {
    const queue = this.#invocations.get(stateName) ?? [];
    queue.push(invocation);
    this.#invocations.set(stateName, queue);
  }

  add(event: EventLog): void {
    const at = new Date(event.timestamp);
    switch (event.type) {
      case "ExecutionStarted":
        this.#push(at, "ExecutionStarted", {
          executionStartedEventDetails: {
            input: JSON.stringify(event.input),
            inputDetails: notTruncated,
            roleArn: this.#roleArn,
          },
        });
        return;
      case "ExecutionSucceeded":
        this.#push(at, "ExecutionSucceeded", {
          executionSucceededEventDetails: {
            output: JSON.stringify(event.output),
            outputDetails: notTruncated,
          },
        });
        return;
      case "ExecutionFailed":
        this.#push(at, "ExecutionFailed", {
          executionFailedEventDetails: { error: event.Error, cause: causeText(event.Cause) },
        });
        return;
      case "ExecutionTimeout":
        this.#push(at, "ExecutionTimedOut", {
          executionTimedOutEventDetails: {
            error: "States.Timeout",
            cause: "The execution ran past its TimeoutSeconds.",
          },
        });
        return;
      case "ExecutionAborted":
        this.#push(at, "ExecutionAborted", { executionAbortedEventDetails: {} });
        return;
      case "StateEntered":
        this.#push(at, `${event.state.type}StateEntered`, {
          stateEnteredEventDetails: {
            name: event.state.name,
            input: JSON.stringify(event.state.input),
            inputDetails: notTruncated,
          },
        });
        return;
      case "StateExited":
        if (event.state.type === "Task") this.#pushInvocation(event.state.name);
        this.#push(at, `${event.state.type}StateExited`, {
          stateExitedEventDetails: {
            name: event.state.name,
            output: JSON.stringify(event.state.output ?? null),
            outputDetails: notTruncated,
          },
        });
        return;
      case "StateFailed":
        if (event.state.type === "Task") this.#pushInvocation(event.state.name);
        return;
      default:
        // Retry and Catch have no event of their own in Step Functions' history: a retry shows
        // as a new LambdaFunctionScheduled, a catch as the next state's entry.
        return;
    }
  }

  /** Adds the events of the oldest not yet recorded invocation of a Task state. */
  #pushInvocation(stateName: string): void {
    const invocation = this.#invocations.get(stateName)?.shift();
    if (invocation === undefined) return;

    const started = new Date(invocation.startedAt);
    const ended = new Date(invocation.endedAt);
    this.#push(started, "LambdaFunctionScheduled", {
      lambdaFunctionScheduledEventDetails: {
        resource: invocation.resource,
        input: invocation.input,
        inputDetails: notTruncated,
      },
    });
    this.#push(started, "LambdaFunctionStarted", {});

    const outcome = invocation.outcome;
    if ("output" in outcome) {
      this.#push(ended, "LambdaFunctionSucceeded", {
        lambdaFunctionSucceededEventDetails: {
          output: outcome.output,
          outputDetails: notTruncated,
        },
      });
    } else if (outcome.timedOut) {
      this.#push(ended, "LambdaFunctionTimedOut", {
        lambdaFunctionTimedOutEventDetails: { error: outcome.error, cause: outcome.cause },
      });
    } else {
      this.#push(ended, "LambdaFunctionFailed", {
        lambdaFunctionFailedEventDetails: { error: outcome.error, cause: outcome.cause },
      });
    }
  }

  #push(timestamp: Date, type: string, details: Record<string, unknown>): void {
    const id = this.events.length + 1;
    this.events.push({ timestamp, type, id, previousEventId: id - 1, ...details });
  }
}

function causeText(cause: unknown): string {
  if (typeof cause === "string") return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause ?? null);
}
