import type { FunctionName } from "../../../../stacks/manifest.ts";

/**
 * A failure that a test arms for a named function. The runner consumes one armed fault per
 * invocation, so production code needs no switch of its own.
 *
 * - `fail-before`: the invocation fails before the handler runs, as a Lambda service error.
 * - `fail-after`: the handler runs to completion, then its result is replaced by an error, as when
 *   the response is lost on the way back.
 * - `timeout`: the handler runs, but its result is held back until the function's timeout, so the
 *   caller sees `Sandbox.Timedout` after any side effect has already happened.
 * - `throttle`: the invocation is rejected as Lambda rejects it when concurrency is exhausted.
 */
export type Fault =
  | { kind: "fail-before"; errorType?: string; errorMessage?: string }
  | { kind: "fail-after"; errorType?: string; errorMessage?: string }
  | { kind: "timeout" }
  | { kind: "throttle" };

/** Error type and message of a Lambda service error, as Step Functions names it. */
export interface ServiceError {
  errorType: string;
  errorMessage: string;
}

// Step Functions prefixes Lambda's service exceptions with "Lambda.", and its Retry rules match
// these names (Lambda.ServiceException, Lambda.TooManyRequestsException and so on).
export const serviceException: ServiceError = {
  errorType: "Lambda.ServiceException",
  errorMessage: "The Lambda service failed to process the request (injected fault).",
};

export const tooManyRequests: ServiceError = {
  errorType: "Lambda.TooManyRequestsException",
  errorMessage: "Rate Exceeded.",
};

interface ArmedFault {
  fault: Fault;
  remaining: number;
}

/**
 * Faults armed per function, each for the next N invocations of that function. A function with
 * several armed faults consumes them in the order they were armed.
 */
export class FaultInjector {
  readonly #armed = new Map<FunctionName, ArmedFault[]>();

  /** Arms `fault` for the next `times` invocations of `functionName`. */
  arm(functionName: FunctionName, fault: Fault, times = 1): this {
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(`times must be a positive integer, got ${times}`);
    }

    const queue = this.#armed.get(functionName) ?? [];
    queue.push({ fault, remaining: times });
    this.#armed.set(functionName, queue);
    return this;
  }

  /** Removes the fault due for the next invocation of `functionName` and returns it, if any. */
  take(functionName: FunctionName): Fault | undefined {
    const queue = this.#armed.get(functionName);
    const head = queue?.[0];
    if (queue === undefined || head === undefined) {
      return undefined;
    }

    head.remaining -= 1;
    if (head.remaining === 0) {
      queue.shift();
    }
    if (queue.length === 0) {
      this.#armed.delete(functionName);
    }
    return head.fault;
  }

  /** Counts the invocations of `functionName` that still have a fault armed. */
  pending(functionName: FunctionName): number {
    const queue = this.#armed.get(functionName) ?? [];
    return queue.reduce((sum, armed) => sum + armed.remaining, 0);
  }

  /** Disarms the faults of one function, or of all functions when none is named. */
  clear(functionName?: FunctionName): void {
    if (functionName === undefined) {
      this.#armed.clear();
      return;
    }
    this.#armed.delete(functionName);
  }
}
