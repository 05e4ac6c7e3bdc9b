import { SendEmailCommand } from "@aws-sdk/client-sesv2";
import {
  confirmationEmail,
  notificationSent,
  recordNotification,
} from "@orderflow/core/order/confirmation-email";
import {
  type NotifyInput,
  type NotifyOutput,
  startStepTimer,
} from "@orderflow/core/workflow/messages";
import { workflowHandler } from "../shared/handler.ts";
import { getEmailClient, getEmailSender, getStore } from "../shared/resources.ts";

/**
 * Workflow step: sends the confirmation e-mail through SES and records the outcome on the order.
 * A failed send leaves the order confirmed with the e-mail marked as owed; it is logged, not
 * thrown, because the order must not be undone.
 */
export const handler = workflowHandler<NotifyInput, NotifyOutput>(
  "workflow-notify",
  (input) => ({ orderId: input.order.orderId, executionArn: input.executionArn }),
  async ({ order }, logger) => {
    const stop = startStepTimer("Notify");
    const store = getStore();

    let status: "owed" | "sent" = "owed";
    if (await notificationSent(store, order.orderId)) {
      status = "sent";
      logger.info("notification.already_sent");
    } else {
      const email = confirmationEmail(order);
      try {
        const result = await getEmailClient().send(
          new SendEmailCommand({
            FromEmailAddress: getEmailSender(),
            Destination: { ToAddresses: [email.to] },
            Content: {
              Simple: {
                Subject: { Data: email.subject, Charset: "UTF-8" },
                Body: { Text: { Data: email.text, Charset: "UTF-8" } },
              },
            },
          }),
        );
        status = "sent";
        logger.info("notification.sent", { messageId: result.MessageId });
      } catch (error) {
        // SES error messages can quote the recipient's address, so only the error name is logged.
        logger.error("notification.failed", {
          errorName: error instanceof Error ? error.name : typeof error,
        });
      }
    }

    const step = stop();
    const steps = [...order.workflow.steps, step];
    await recordNotification(store, order.orderId, status, steps);

    return {
      ...order,
      notification: { ...order.notification, status },
      workflow: { ...order.workflow, steps },
    };
  },
);
