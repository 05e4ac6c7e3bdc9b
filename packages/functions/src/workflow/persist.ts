import { findPromotion } from "@orderflow/core/order/checkout";
import { persistOrder } from "@orderflow/core/order/persist";
import {
  type PersistInput,
  type PersistOutput,
  startStepTimer,
} from "@orderflow/core/workflow/messages";
import { workflowHandler } from "../shared/handler.ts";
import { getStore } from "../shared/resources.ts";

/**
 * Workflow step: writes the order and decrements stock in one transaction. Running it again for
 * the same order id returns the stored order and writes nothing.
 */
export const handler = workflowHandler<PersistInput, PersistOutput>(
  "workflow-persist",
  (input) => ({ orderId: input.orderId, executionArn: input.executionArn }),
  async (input, logger) => {
    const stop = startStepTimer("Persist");

    const code = input.pricing.promotionCode;
    const { order, created } = await persistOrder(
      getStore(),
      {
        orderId: input.orderId,
        accessTokenHash: input.accessTokenHash,
        idempotencyRecordId: input.idempotencyRecordId,
        request: input.request,
        pricing: input.pricing,
        promotionMaxRedemptions:
          code === undefined ? undefined : findPromotion(code).maxRedemptions,
        executionArn: input.executionArn,
        steps: input.steps,
      },
      { logger },
    );

    const step = stop();
    logger.info("step.persisted", { created, durationMs: step.durationMs });
    if (!created) {
      // A retry after the first attempt committed: the stored order already has its timings.
      return order;
    }
    return { ...order, workflow: { ...order.workflow, steps: [...order.workflow.steps, step] } };
  },
);
