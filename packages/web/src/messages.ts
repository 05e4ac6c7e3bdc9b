import { MAX_LINES } from "@orderflow/core/order/request";
import type { CatalogProduct, Problem } from "./api.ts";
import type { AddResult } from "./cart.ts";

/** Builds the announcement after the shopper presses "Add to cart". */
export function addMessage(result: AddResult, product: CatalogProduct, inCart: number): string {
  switch (result) {
    case "added":
      return `${product.name} added to your cart. ${inCart} in cart.`;
    case "sold_out":
      return `${product.name} is sold out.`;
    case "at_max_quantity":
      return `You already have the maximum quantity of ${product.name} you can order.`;
    case "at_max_lines":
      return `Your cart is full: an order can hold ${MAX_LINES} different products.`;
  }
}

/** Explains a response after which the same order may be sent again. */
export function retryMessage(problem: Problem): string {
  switch (problem.code) {
    case "busy":
      return "The store is busy right now and your order was not placed yet.";
    case "idempotency_key_in_use":
      return "Your order is still being processed.";
    case "timeout":
      return "Your order took too long to confirm. Trying again is safe: it will not create a second order.";
    default:
      return "The store had a problem placing your order. Trying again is safe: it will not create a second order.";
  }
}

/** Explains why the API rejected a promotion code, from the problem's `reason`. */
export function promotionMessage(problem: Problem, format: (amount: number) => string): string {
  switch (problem.reason) {
    case "unknown":
      return "This promotion code does not exist. Check the spelling.";
    case "expired":
      return "This promotion code has expired.";
    case "not_yet_valid":
      return "This promotion code is not valid yet.";
    case "used_up":
      return "This promotion code has been used up.";
    case "below_minimum":
      return problem.minSubtotal === undefined
        ? "This promotion code needs a higher subtotal."
        : `This promotion code applies from a subtotal of ${format(problem.minSubtotal)}.`;
    default:
      return problem.detail ?? problem.title;
  }
}
