/**
 * Chooses the `Idempotency-Key` for each press of "Place order".
 *
 * An attempt is one request body. Sending the same body again after a response that leaves the
 * outcome open (network error, busy, timeout, still running) reuses the attempt's key, so the API
 * replays or finishes the first order instead of making a second one. A changed body, or a body
 * whose attempt ended with a final response, starts a new attempt with a fresh key.
 *
 * NOTE: if a request fails on the network after the API placed the order, and the shopper then
 * edits the cart or form before retrying, the retry is a new attempt and places a second order.
 */
export class OrderAttempts {
  private current: { body: string; key: string } | undefined;

  constructor(private readonly newKey: () => string = () => crypto.randomUUID()) {}

  keyFor(body: string): string {
    if (this.current?.body !== body) {
      this.current = { body, key: this.newKey() };
    }
    return this.current.key;
  }

  /** Ends the current attempt after a final response: an order, or a rejection of this body. */
  finish(): void {
    this.current = undefined;
  }
}

/** Problem codes after which the same request may be sent again with the same key. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set(["busy", "timeout", "idempotency_key_in_use"]);

export function isRetryableProblem(status: number, code: string): boolean {
  return RETRYABLE_CODES.has(code) || status >= 500;
}
