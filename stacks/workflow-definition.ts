/**
 * The state machine definition with each Task pointing at its function. The SST stack deploys
 * what this returns and the offline stack runs what it returns, so both run one definition.
 *
 * Like the manifest, this file is plain data that Node loads outside SST.
 */
import { orderWorkflowDefinition } from "../packages/core/src/workflow/definition.ts";
import { type WorkflowStep, workflow } from "./manifest.ts";

/** Functions that the state machine invokes, one per workflow step. */
export type WorkflowFunctionName = (typeof workflow.steps)[WorkflowStep];

/** Builds the Amazon States Language definition from the ARN of each step's function. */
export function buildWorkflowDefinition(
  functionArns: Readonly<Record<WorkflowFunctionName, string>>,
): ReturnType<typeof orderWorkflowDefinition> {
  return orderWorkflowDefinition(workflowTaskArns(functionArns));
}

/** Maps each workflow step to the ARN of the function the manifest assigns to it. */
export function workflowTaskArns(
  functionArns: Readonly<Record<WorkflowFunctionName, string>>,
): Record<WorkflowStep, string> {
  const steps = Object.keys(workflow.steps) as WorkflowStep[];
  return Object.fromEntries(
    steps.map((step) => [step, functionArns[workflow.steps[step]]]),
  ) as Record<WorkflowStep, string>;
}

/** Functions of the workflow steps, each once, in step order. */
export function workflowFunctionNames(): WorkflowFunctionName[] {
  return [...new Set(Object.values(workflow.steps))];
}
