/**
 * Returns the name part of a Step Functions execution ARN. Standard executions end with the name
 * (`arn:aws:states:<region>:<account>:execution:<machine>:<name>`) and Express executions add a
 * run id after it (`...:express:<machine>:<name>:<run id>`). The name carries no account id, so
 * it is what clients see; the full ARN stays in the logs and the order item.
 */
export function executionNameFromArn(executionArn: string): string {
  const parts = executionArn.split(":");
  const [prefix, , service, , , kind, , name] = parts;
  const isExecution =
    prefix === "arn" &&
    service === "states" &&
    ((kind === "execution" && parts.length === 8) || (kind === "express" && parts.length === 9));
  if (!isExecution || !name) {
    throw new Error(`Invalid Step Functions execution ARN: ${executionArn}`);
  }
  return name;
}
