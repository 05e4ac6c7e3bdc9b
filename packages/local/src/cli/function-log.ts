/** Formatting of function log lines for the `pnpm dev` console. */

const invokeErrorLine = /^\S+\t(\S+)\tERROR\tInvoke Error \t(\{.*\})$/;

/**
 * Shortens Lambda's record of a failed invocation to its error type and message. The full record,
 * stack included, is printed with ORDERFLOW_FUNCTION_LOGS=1. Workflow steps fail on purpose with
 * domain errors (Catch turns them into a rejection), so a stack for each would bury the rest.
 */
export function summariseFunctionLog(line: string): string {
  const match = invokeErrorLine.exec(line);
  if (match === null) return line;
  try {
    const record = JSON.parse(match[2] ?? "") as { errorType?: unknown; errorMessage?: unknown };
    const type = typeof record.errorType === "string" ? record.errorType : "Error";
    const message = typeof record.errorMessage === "string" ? record.errorMessage : "";
    const oneLine = message.replaceAll(/\s+/g, " ").slice(0, 200);
    return `invocation ${match[1]} failed: ${type}${oneLine === "" ? "" : `: ${oneLine}`}`;
  } catch {
    return line;
  }
}
