/**
 * Wraps handler bodies so that each invocation logs with its ids attached once, and every thrown
 * value becomes a problem+json response (API) or is logged before Lambda reports it (workflow).
 */
import { DomainError } from "@orderflow/core/errors";
import { createLogger, errorFields, type Logger } from "@orderflow/core/logging/logger";
import type { StepIds } from "@orderflow/core/workflow/messages";
import type { Context } from "aws-lambda";
import { type HttpEvent, type HttpResult, problemResult } from "./http.ts";

export function apiHandler(
  service: string,
  handle: (event: HttpEvent, logger: Logger) => Promise<HttpResult>,
) {
  const logger = createLogger({ service });
  return async (event: HttpEvent, context?: Context): Promise<HttpResult> => {
    logger.setContext({
      requestId: event.requestContext?.requestId,
      awsRequestId: context?.awsRequestId,
    });
    try {
      return await handle(event, logger);
    } catch (error) {
      return problemResult(error, logger);
    }
  };
}

export function workflowHandler<Input, Output>(
  service: string,
  ids: (input: Input) => Partial<StepIds>,
  handle: (input: Input, logger: Logger) => Promise<Output>,
) {
  const logger = createLogger({ service });
  return async (input: Input, context?: Context): Promise<Output> => {
    logger.setContext({ awsRequestId: context?.awsRequestId, ...ids(input) });
    try {
      return await handle(input, logger);
    } catch (error) {
      // Domain errors end the run as a rejection the API explains; anything else is a fault.
      if (error instanceof DomainError) {
        logger.warn("step.rejected", { errorName: error.name, code: error.code });
      } else {
        logger.error("step.failed", errorFields(error));
      }
      throw error;
    }
  };
}
