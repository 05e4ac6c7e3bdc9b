import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FaultInjector } from "../../src/lambda/faults.ts";
import { type LocalStack, type StackOptions, startStack } from "../../src/stack.ts";
import { StackState } from "./stack-state.ts";

export interface PrivateStack {
  stack: LocalStack;
  faults: FaultInjector;
  state: StackState;
  stop(): Promise<void>;
}

/**
 * Starts an in-memory stack for one test file, with a fault injector the tests arm. The shared
 * stack of the global setup runs in vitest's main process, where a test worker cannot reach its
 * runner. Tests that inject faults therefore start their own stack with this helper.
 */
export async function startPrivateStack(
  options: Partial<Omit<StackOptions, "faults" | "outboxDir">> = {},
): Promise<PrivateStack> {
  const outboxDir = await mkdtemp(join(tmpdir(), "orderflow-private-outbox-"));
  const faults = new FaultInjector();

  let stack: LocalStack;
  try {
    stack = await startStack({ apiPort: 0, log: () => {}, ...options, outboxDir, faults });
  } catch (error) {
    await rm(outboxDir, { recursive: true, force: true });
    throw error;
  }

  const state = new StackState({
    dynamodbUrl: stack.dynamodbUrl,
    tableName: stack.tableName,
    outboxDir,
  });
  return {
    stack,
    faults,
    state,
    stop: async () => {
      state.destroy();
      await stack.stop();
      await rm(outboxDir, { recursive: true, force: true });
    },
  };
}
