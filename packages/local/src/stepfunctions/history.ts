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

export type InvocationOutcome =
  | { output: string }
  | { error: string; cause: string; timedOut: boolean };

/** One Lambda invocation of a Task state; `outcome` stays unset until the function returns. */
interface TaskInvocation {
  resource: string;
  input: string;
  startedAt: number;
  endedAt?: number;
  outcome?: InvocationOutcome;
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
  /** Per Task state, how many of its attempts the interpreter has reported as ended. */
  readonly #endedAttempts = new Map<string, number>();
  readonly #roleArn: string;

  constructor(roleArn: string) {
    this.#roleArn = roleArn;
  }

  /**
   * Records the start of a Task state's attempt and returns the function that records its
   * outcome. Attempts are matched to the interpreter's events by their order, so an invocation
   * that returns after the state already timed out is not credited to the next attempt.
   */
  startInvocation(
    stateName: string,
    resource: string,
    input: string,
  ): (outcome: InvocationOutcome) => void {
    const invocation: TaskInvocation = { resource, input, startedAt: Date.now() };
    const attempts = this.#invocations.get(stateName) ?? [];
    attempts.push(invocation);
    this.#invocations.set(stateName, attempts);

    return (outcome) => {
      invocation.endedAt = Date.now();
      invocation.outcome = outcome;
    };
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
        if (event.state.type === "Task") this.#pushInvocation(event.state.name, at);
        this.#push(at, `${event.state.type}StateExited`, {
          stateExitedEventDetails: {
            name: event.state.name,
            output: JSON.stringify(event.state.output ?? null),
            outputDetails: notTruncated,
          },
        });
        return;
      case "StateFailed":
        if (event.state.type === "Task") {
          this.#pushInvocation(event.state.name, at, {
            error: event.Error,
            cause: causeText(event.Cause),
          });
        }
        return;
      default:
        // Retry and Catch have no event of their own in Step Functions' history: a retry shows
        // as a new LambdaFunctionScheduled, a catch as the next state's entry.
        return;
    }
  }

  /**
   * Adds the Lambda events of a Task state's attempt that just ended. An attempt whose function
   * has not returned was stopped by the state's own timeout, reported as `failure`.
   */
  #pushInvocation(
    stateName: string,
    endedAt: Date,
    failure?: { error: string; cause: string },
  ): void {
    const attempt = this.#endedAttempts.get(stateName) ?? 0;
    this.#endedAttempts.set(stateName, attempt + 1);
    const invocation = this.#invocations.get(stateName)?.[attempt];
    if (invocation === undefined) return;

    const started = new Date(invocation.startedAt);
    this.#push(started, "LambdaFunctionScheduled", {
      lambdaFunctionScheduledEventDetails: {
        resource: invocation.resource,
        input: invocation.input,
        inputDetails: notTruncated,
      },
    });
    this.#push(started, "LambdaFunctionStarted", {});

    // A result that came back after the state had failed, as on a timeout, does not count.
    const returnedInTime =
      invocation.outcome !== undefined &&
      !(failure !== undefined && "output" in invocation.outcome);
    const error = failure?.error ?? "States.Timeout";
    const outcome: InvocationOutcome = returnedInTime
      ? (invocation.outcome as InvocationOutcome)
      : { error, cause: failure?.cause ?? "", timedOut: error === "States.Timeout" };
    const ended =
      invocation.endedAt === undefined || !returnedInTime ? endedAt : new Date(invocation.endedAt);
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
