/**
 * The state machine definition with each Task pointing at its function, and the policy that lets
 * the state machine invoke them. The SST stack deploys the definition this file builds and the
 * offline stack runs it, so both run one definition.
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

/** Builds the IAM policy that lets the state machine invoke the step functions and nothing else. */
export function invokeStepsPolicy(functionArns: Readonly<Record<WorkflowFunctionName, string>>) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["lambda:InvokeFunction"],
        Resource: workflowFunctionNames().map((name) => functionArns[name]),
      },
    ],
  };
}
