import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { type LocalStack, startStack } from "../../src/stack.ts";

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
    dynamodbUrl: string;
    tableName: string;
    outboxDir: string;
    stepFunctionsUrl: string;
    stateMachineArn: string;
  }
}

/**
 * Starts one offline stack for the whole run: DynamoDB Local in memory, every server on a free
 * loopback port, and e-mails kept in a fresh temporary directory.
 */
export default async function setup(project: TestProject) {
  const outboxDir = await mkdtemp(join(tmpdir(), "orderflow-outbox-"));
  let stack: LocalStack;
  try {
    stack = await startStack({ apiPort: 0, outboxDir, log: () => {} });
  } catch (error) {
    await rm(outboxDir, { recursive: true, force: true });
    throw error;
  }

  project.provide("apiUrl", stack.apiUrl);
  project.provide("dynamodbUrl", stack.dynamodbUrl);
  project.provide("tableName", stack.tableName);
  project.provide("outboxDir", stack.outboxDir);
  project.provide("stepFunctionsUrl", stack.stepFunctionsUrl);
  project.provide("stateMachineArn", stack.stateMachineArn);

  return async () => {
    await stack.stop();
    await rm(outboxDir, { recursive: true, force: true });
  };
}
