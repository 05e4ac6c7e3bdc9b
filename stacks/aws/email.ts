import { email } from "../manifest.ts";

/**
 * The From address of order confirmations, set per stage with
 * `sst secret set EmailSender <address> --stage <stage>`. Deploying a stage without it fails
 * with a message that names the secret.
 */
export const emailSender = new sst.Secret("EmailSender");

/** The SES identity of the sender address, one per stage. SES e-mails the address a verification link. */
export const sender = new sst.aws.Email("Sender", { sender: emailSender.value });

const region = aws.getRegionOutput().region;
const account = aws.getCallerIdentityOutput().accountId;
const partition = aws.getPartitionOutput().partition;

/**
 * The `Resource.Email` that handlers read. Its link grants only `ses:SendEmail` from the sender
 * address, where the link of SST's `Email` component would grant `ses:*`.
 */
export const emailLink = new sst.Linkable(email.resource, {
  properties: { sender: sender.sender, configSet: sender.configSet },
  include: [
    sst.aws.permission({
      actions: ["ses:SendEmail"],
      // A sandboxed SES account also checks the recipient's identity, so the statement covers
      // every identity of the account. The condition still limits the sender to this stage's
      // address.
      resources: [
        $interpolate`arn:${partition}:ses:${region}:${account}:identity/*`,
        $interpolate`arn:${partition}:ses:${region}:${account}:configuration-set/${sender.configSet}`,
      ],
      conditions: [{ test: "StringEquals", variable: "ses:FromAddress", values: [sender.sender] }],
    }),
  ],
});
