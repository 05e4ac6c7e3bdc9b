import { priceRequest } from "@orderflow/core/order/checkout";
import {
  type PriceInput,
  type PriceOutput,
  startStepTimer,
} from "@orderflow/core/workflow/messages";
import { workflowHandler } from "../shared/handler.ts";
import { getStore } from "../shared/resources.ts";

/** Workflow step: prices the lines, discount, shipping and tax from the catalog. */
export const handler = workflowHandler<PriceInput, PriceOutput>(
  "workflow-price",
  (input) => ({ orderId: input.orderId, executionArn: input.executionArn }),
  async (input, logger) => {
    const stop = startStepTimer("Price");

    const pricing = await priceRequest(getStore(), input.request, new Date(input.receivedAt));

    const step = stop();
    logger.info("step.priced", { total: pricing.totals.total, durationMs: step.durationMs });
    return { pricing, step };
  },
);
