import { workflow } from "../manifest.ts";
import { stageSettings } from "../stage-settings.ts";
import {
  buildWorkflowDefinition,
  invokeStepsPolicy,
  type WorkflowFunctionName,
  workflowFunctionNames,
} from "../workflow-definition.ts";
import { emailLink } from "./email.ts";
import { createFunction } from "./functions.ts";
import { tableLink } from "./storage.ts";

const settings = stageSettings($app.stage);

const stepFunctionNames = workflowFunctionNames();
const stepFunctions = stepFunctionNames.map((name) =>
  createFunction(name, { Table: tableLink, Email: emailLink }),
);

const functionArns = $util
  .all(stepFunctions.map((fn) => fn.arn))
  .apply(
    (arns) =>
      Object.fromEntries(stepFunctionNames.map((name, index) => [name, arns[index]])) as Record<
        WorkflowFunctionName,
        string
      >,
  );

const logGroup = new aws.cloudwatch.LogGroup("OrderWorkflowLogs", {
  // Step Functions delivers logs through CloudWatch vended logs, which expect this prefix.
  name: `/aws/vendedlogs/states/${$app.name}-${$app.stage}-order-workflow`,
  retentionInDays: settings.logRetentionDays,
});

const role = new aws.iam.Role("OrderWorkflowRole", {
  assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "states.amazonaws.com" }),
  inlinePolicies: [
    {
      name: "invoke-steps",
      policy: functionArns.apply((arns) => JSON.stringify(invokeStepsPolicy(arns))),
    },
    {
      name: "logs-and-traces",
      // Log delivery and X-Ray actions take no resource-level permissions, so they need "*".
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: [
              "logs:CreateLogDelivery",
              "logs:GetLogDelivery",
              "logs:UpdateLogDelivery",
              "logs:DeleteLogDelivery",
              "logs:ListLogDeliveries",
              "logs:PutResourcePolicy",
              "logs:DescribeResourcePolicies",
              "logs:DescribeLogGroups",
              "xray:PutTraceSegments",
              "xray:PutTelemetryRecords",
              "xray:GetSamplingRules",
              "xray:GetSamplingTargets",
            ],
            Resource: "*",
          },
        ],
      }),
    },
  ],
});

/**
 * The Express state machine, deployed from the JSONPath definition in packages/core rather than
 * through SST's `StepFunctions` component, whose builder writes JSONata that the offline
 * interpreter cannot run.
 */
export const stateMachine = new aws.sfn.StateMachine("OrderWorkflowStateMachine", {
  type: workflow.type,
  roleArn: role.arn,
  definition: functionArns.apply((arns) => JSON.stringify(buildWorkflowDefinition(arns))),
  loggingConfiguration: {
    logDestination: $interpolate`${logGroup.arn}:*`,
    level: settings.workflowLogLevel,
    includeExecutionData: settings.includeExecutionData,
  },
  tracingConfiguration: { enabled: true },
});

/**
 * The `Resource.OrderWorkflow` that handlers read. Its link grants only StartSyncExecution, the
 * one call the API makes.
 */
export const workflowLink = new sst.Linkable(workflow.resource, {
  properties: { arn: stateMachine.arn },
  include: [
    sst.aws.permission({ actions: ["states:StartSyncExecution"], resources: [stateMachine.arn] }),
  ],
});
