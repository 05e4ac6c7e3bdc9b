/**
 * Exponential backoff with full jitter: attempt n waits a random time in [0, min(cap, base * 2^n)).
 * Full jitter spreads competing writers apart, which is what resolves transaction conflicts.
 */

export interface BackoffOptions {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const defaultBackoff: BackoffOptions = {
  maxAttempts: 8,
  baseDelayMs: 20,
  maxDelayMs: 1_000,
};

export function backoffDelayMs(attempt: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Error names DynamoDB uses when a request is throttled; such a request is safe to retry. */
const throttlingErrorNames = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "TransactionInProgressException",
]);

export function isThrottlingError(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  if (throttlingErrorNames.has(error.name)) {
    return true;
  }
  // ElectroDB wraps client errors and keeps the original as `cause`.
  return error.cause !== undefined && error.cause !== error && isThrottlingError(error.cause);
}

/** Checks whether a write failed because its condition expression was false. */
export function isConditionalCheckFailed(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  if (error.name === "ConditionalCheckFailedException") {
    return true;
  }
  return (
    error.cause !== undefined && error.cause !== error && isConditionalCheckFailed(error.cause)
  );
}
