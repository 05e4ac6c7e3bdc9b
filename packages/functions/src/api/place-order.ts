import {
  StartSyncExecutionCommand,
  type StartSyncExecutionCommandOutput,
} from "@aws-sdk/client-sfn";
import { PayloadTooLargeError, ServiceBusyError } from "@orderflow/core/errors";
import {
  claimIdempotencyKey,
  IDEMPOTENCY_KEY_HEADER,
  idempotencyRecordId,
  parseIdempotencyKey,
  releaseIdempotencyKey,
  requestFingerprint,
  type StoredResponse,
  storeIdempotentResponse,
} from "@orderflow/core/idempotency/idempotency";
import type { Logger } from "@orderflow/core/logging/logger";
import { generateAccessToken, hashAccessToken } from "@orderflow/core/order/access-token";
import { orderFromItem } from "@orderflow/core/order/order";
import { newOrderId } from "@orderflow/core/order/order-id";
import { parseOrderRequest } from "@orderflow/core/order/request";
import type { OrderWorkflowInput } from "@orderflow/core/workflow/messages";
import { orderFromExecution } from "@orderflow/core/workflow/outcome";
import { apiHandler } from "../shared/handler.ts";
import {
  type HttpResult,
  header,
  jsonResult,
  MAX_BODY_BYTES,
  readJsonBody,
} from "../shared/http.ts";
import { getOrderWorkflowArn, getStepFunctionsClient, getStore } from "../shared/resources.ts";

/**
 * Largest execution input in UTF-8 bytes, a quarter of Step Functions' 256 KiB limit, so the
 * state can carry the request, its validated copy and the priced lines with room to spare.
 */
export const MAX_WORKFLOW_INPUT_BYTES = 64 * 1024;

/** Step Functions errors that mean "too many requests now", returned as 503 with Retry-After. */
const busyErrorNames = new Set([
  "ThrottlingException",
  "ExecutionLimitExceeded",
  "ServiceUnavailable",
]);

/**
 * POST /orders: validates the request, claims its Idempotency-Key, runs the order workflow
 * synchronously and builds the response from the run's status.
 */
export const handler = apiHandler("place-order", async (event, logger) => {
  const body = readJsonBody(event);
  const request = parseOrderRequest(body);
  const key = parseIdempotencyKey(header(event, IDEMPOTENCY_KEY_HEADER));

  const orderId = newOrderId();
  const accessToken = generateAccessToken();
  const input: OrderWorkflowInput = {
    orderId,
    accessTokenHash: hashAccessToken(accessToken),
    idempotencyRecordId: key === undefined ? null : idempotencyRecordId(key),
    request,
    receivedAt: new Date().toISOString(),
  };
  const inputText = JSON.stringify(input);
  if (Buffer.byteLength(inputText, "utf8") > MAX_WORKFLOW_INPUT_BYTES) {
    throw new PayloadTooLargeError(MAX_BODY_BYTES);
  }

  const log = logger.child({ orderId });
  const store = getStore();

  if (key !== undefined) {
    const claim = await claimIdempotencyKey(store, {
      key,
      requestHash: requestFingerprint(body),
      orderId,
    });
    if (claim.kind === "replay") {
      if (claim.response.unreadableBody !== undefined) {
        log.error("idempotency.response_unreadable", {
          errorName: claim.response.unreadableBody,
          replayedOrderId: claim.response.orderId,
        });
      }
      log.info("order.replayed", { replayedOrderId: claim.response.orderId });
      return await replay(claim.response);
    }
  }

  let placed = false;
  try {
    const result = await runWorkflow(inputText, log);
    const order = orderFromExecution(result);
    placed = true;

    const { orderId: placedOrderId, ...details } = order;
    const responseBody = JSON.stringify({ orderId: placedOrderId, accessToken, ...details });
    if (key !== undefined) {
      await storeIdempotentResponse(store, { key, orderId, status: 201, body: responseBody });
    }
    log.info("order.placed", {
      executionArn: result.executionArn,
      total: order.totals.total,
      notification: order.notification.status,
    });
    return created(order.orderId, responseBody);
  } finally {
    if (key !== undefined && !placed) {
      // Only an in_progress claim owned by this order is deleted; a committed order completed it.
      await releaseIdempotencyKey(store, { key, orderId }).catch((error: unknown) =>
        log.error("idempotency.release_failed", { errorName: (error as Error).name }),
      );
    }
  }
});

async function runWorkflow(
  inputText: string,
  log: Logger,
): Promise<StartSyncExecutionCommandOutput> {
  try {
    const result = await getStepFunctionsClient().send(
      new StartSyncExecutionCommand({ stateMachineArn: getOrderWorkflowArn(), input: inputText }),
    );
    // The cause stays in the logs, because the client must receive only the mapped problem.
    log.info("workflow.finished", {
      executionArn: result.executionArn,
      status: result.status,
      error: result.error,
    });
    return result;
  } catch (error) {
    if (error instanceof Error && busyErrorNames.has(error.name)) {
      throw new ServiceBusyError(1, { cause: error });
    }
    throw error;
  }
}

function created(orderId: string, body: string): HttpResult {
  return {
    statusCode: 201,
    headers: {
      "content-type": "application/json",
      location: `/orders/${orderId}`,
      "cache-control": "no-store",
    },
    body,
  };
}

async function replay(response: StoredResponse): Promise<HttpResult> {
  if (response.body !== undefined) {
    return { ...created(response.orderId, response.body), statusCode: response.status };
  }

  // NOTE: the order was placed but its response was not stored (the first request ended between
  // the two writes) or cannot be decrypted. The replay then carries the order without its access
  // token.
  const item = (await getStore().order.get({ orderId: response.orderId }).go()).data;
  if (item === null) {
    throw new Error(`Idempotency record points at missing order ${response.orderId}`);
  }
  const order = orderFromItem(item);
  return jsonResult(response.status, order, {
    location: `/orders/${order.orderId}`,
    "cache-control": "no-store",
  });
}
