/**
 * The stored order as the API returns it, and its mapping to and from the table item.
 */
import type {
  AddressRecord,
  OrderItem,
  OrderLineRecord,
  OrderTotalsRecord,
  WorkflowStepRecord,
} from "../db/table.ts";
import type { Quote } from "../pricing/price.ts";
import { executionNameFromArn } from "../workflow/execution-name.ts";

export type OrderLine = OrderLineRecord;
export type OrderTotals = OrderTotalsRecord;
export type WorkflowStepTiming = WorkflowStepRecord;

export type NotificationStatus = "owed" | "sent";

/** An order as `GET /orders/{orderId}` returns it; `POST /orders` adds the access token. */
export interface Order {
  orderId: string;
  status: "confirmed";
  createdAt: string;
  currency: string;
  customer: { name: string; email: string };
  shippingAddress: AddressRecord;
  lines: OrderLine[];
  totals: OrderTotals;
  promotionCode?: string;
  notification: { status: NotificationStatus; email: string };
  /** The run that placed the order: its execution name, never the ARN with the account id. */
  workflow: { executionName: string; steps: WorkflowStepTiming[] };
}

/** The order's prices as the Price step computes them. */
export type OrderPricing = Quote;

export function orderFromItem(item: OrderItem): Order {
  const order: Order = {
    orderId: item.orderId,
    status: item.status,
    createdAt: item.createdAt,
    currency: item.currency,
    customer: { name: item.customerName, email: item.customerEmail },
    shippingAddress: item.shippingAddress,
    lines: item.lines,
    totals: item.totals,
    notification: { status: item.notificationStatus, email: item.customerEmail },
    workflow: {
      executionName: executionNameFromArn(item.executionArn),
      steps: item.workflowSteps,
    },
  };
  if (item.promotionCode !== undefined) {
    order.promotionCode = item.promotionCode;
  }
  return order;
}
