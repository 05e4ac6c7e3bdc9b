import { validateOrder } from "@orderflow/core/order/checkout";
import {
  startStepTimer,
  type ValidateInput,
  type ValidateOutput,
} from "@orderflow/core/workflow/messages";
import { workflowHandler } from "../shared/handler.ts";
import { getStore } from "../shared/resources.ts";

/** Workflow step: checks the request against the schema and the catalog. */
export const handler = workflowHandler<ValidateInput, ValidateOutput>(
  "workflow-validate",
  (input) => ({ orderId: input.orderId, executionArn: input.executionArn }),
  async (input, logger) => {
    const stop = startStepTimer("Validate");

    const request = await validateOrder(getStore(), input.request);

    const step = stop();
    logger.info("step.validated", { lines: request.lines.length, durationMs: step.durationMs });
    return { request, step };
  },
);
