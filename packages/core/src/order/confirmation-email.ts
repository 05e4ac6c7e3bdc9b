/**
 * The order confirmation e-mail, as plain text, and the update that records it was sent.
 */

import { MINOR_UNITS_PER_MAJOR } from "../catalog/currency.ts";
import type { Store } from "../db/table.ts";
import type { Order, WorkflowStepTiming } from "./order.ts";

export interface ConfirmationEmail {
  to: string;
  subject: string;
  text: string;
}

/** Formats minor units as a decimal amount with the currency code, such as `36.82 EUR`. */
export function formatAmount(minorUnits: number, currency: string): string {
  const major = Math.trunc(minorUnits / MINOR_UNITS_PER_MAJOR);
  const minor = Math.abs(minorUnits % MINOR_UNITS_PER_MAJOR);
  return `${major}.${String(minor).padStart(2, "0")} ${currency}`;
}

export function confirmationEmail(order: Order): ConfirmationEmail {
  const amount = (value: number) => formatAmount(value, order.currency);
  const address = order.shippingAddress;
  const lines = order.lines.map(
    (line) => `  ${line.quantity} x ${line.name} (${line.sku})  ${amount(line.total)}`,
  );

  const text = [
    `Hello ${order.customer.name},`,
    "",
    `thank you for your order ${order.orderId}. It is confirmed and will ship to:`,
    "",
    `  ${address.line1}`,
    ...(address.line2 ? [`  ${address.line2}`] : []),
    `  ${address.postalCode} ${address.city}${address.region ? `, ${address.region}` : ""}`,
    `  ${address.country}`,
    "",
    ...lines,
    "",
    `  Subtotal  ${amount(order.totals.subtotal)}`,
    ...(order.totals.discount > 0
      ? [
          `  Discount  -${amount(order.totals.discount)}${order.promotionCode ? ` (${order.promotionCode})` : ""}`,
        ]
      : []),
    `  Shipping  ${amount(order.totals.shipping)}`,
    `  Tax       ${amount(order.totals.tax)}`,
    `  Total     ${amount(order.totals.total)}`,
    "",
    "orderflow",
  ].join("\n");

  return {
    to: order.customer.email,
    subject: `Your order ${order.orderId} is confirmed`,
    text,
  };
}

/** Reads whether the confirmation of this order was already sent, so a retried step sends once. */
export async function notificationSent(store: Store, orderId: string): Promise<boolean> {
  const result = await store.order
    .get({ orderId })
    .go({ consistent: true, attributes: ["notificationStatus"] });
  return result.data?.notificationStatus === "sent";
}

/** Records the notification's outcome and the full list of step timings on the stored order. */
export async function recordNotification(
  store: Store,
  orderId: string,
  status: "owed" | "sent",
  steps: WorkflowStepTiming[],
): Promise<void> {
  await store.order
    .patch({ orderId })
    .set({ notificationStatus: status, workflowSteps: steps })
    .go();
}
