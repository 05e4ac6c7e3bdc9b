import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { seedCatalogIfEmpty } from "@orderflow/core/catalog/seed";
import { cors, routeMethods } from "../../../stacks/cors.ts";
import {
  appName,
  type FunctionName,
  functions,
  routes,
  table,
  workflow,
} from "../../../stacks/manifest.ts";
import {
  buildWorkflowDefinition,
  type WorkflowFunctionName,
  workflowFunctionNames,
} from "../../../stacks/workflow-definition.ts";
import { type CorsConfiguration, formatRequestLine, startApiGateway } from "./apigateway/server.ts";
import { type DynamoDbLocal, startDynamoDbLocal } from "./dynamodb/dynamodb-local.ts";
import { ensureTable } from "./dynamodb/table.ts";
import { functionEnvironment, type LocalResources } from "./environment.ts";
import type { FaultInjector } from "./lambda/faults.ts";
import { LambdaRunner } from "./lambda/runner.ts";
import { startOutboxServer } from "./ses/outbox-server.ts";
import { ExecutionService, type InvokeOutcome } from "./stepfunctions/executions.ts";
import { startStepFunctionsServer } from "./stepfunctions/server.ts";

export const repositoryRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

const region = "us-east-1";
const accountId = "000000000000";
const loopback = "127.0.0.1";

export interface StackOptions {
  /** Directory for DynamoDB Local's database; undefined keeps the data in memory. */
  dataDir?: string;
  /** Port of the API; 0 picks a free one. */
  apiPort?: number;
  /** Address the API listens on; loopback unless set. */
  apiHost?: string;
  /** Directory where the local SES endpoint stores each e-mail as a file. */
  outboxDir: string;
  /** Directory the manifest's handler paths are relative to; the repository root unless set. */
  rootDir?: string;
  /** Directory for the function bundles; a temporary directory, removed at stop, unless set. */
  buildDir?: string;
  /** Origin of the web page, allowed by the API's CORS configuration. */
  webOrigin?: string;
  /** SST stage the resource names are built from. */
  stage?: string;
  /** Sender address the Email resource exposes. */
  emailSender?: string;
  faults?: FaultInjector;
  /** Receives one line per request and per lifecycle event. */
  log?: (line: string) => void;
  /** Receives each line a function writes; dropped unless set. */
  onFunctionLog?: (functionName: FunctionName, line: string) => void;
}

export interface LocalStack {
  apiUrl: string;
  stepFunctionsUrl: string;
  dynamodbUrl: string;
  outboxDir: string;
  tableName: string;
  stateMachineArn: string;
  runner: LambdaRunner;
  executions: ExecutionService;
  /** Stops every server and child process; safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Starts the offline stack. DynamoDB Local gets the app's table and seed catalog, the local SES
 * outbox and Step Functions endpoint listen on loopback, the Lambda runner gives each function its
 * own environment, and the API Gateway emulator serves the routes.
 */
export async function startStack(options: StackOptions): Promise<LocalStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const stage = options.stage ?? "local";
  const tableName = `${appName}-${stage}-${table.resource}`;
  const stateMachineArn = `arn:aws:states:${region}:${accountId}:stateMachine:${appName}-${stage}-${workflow.resource}`;
  const cleanups: Array<() => Promise<void>> = [];

  const stop = async () => {
    const pending = cleanups.splice(0).reverse();
    for (const cleanup of pending) {
      try {
        await cleanup();
      } catch (error) {
        log(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };

  try {
    const dynamodb = await startDynamoDbLocal({ log, ...dataDirOption(options.dataDir) });
    cleanups.push(() => dynamodb.stop());
    await prepareTable(dynamodb, tableName, log);

    const outbox = await startOutboxServer({
      outboxDir: options.outboxDir,
      host: loopback,
      onRequest: ({ path, status, durationMs }) =>
        log(`ses POST ${path} ${status} ${durationMs.toFixed(0)}ms`),
    });
    cleanups.push(() => outbox.close());

    let runner: LambdaRunner | undefined;
    const arnToFunction = new Map<string, FunctionName>();
    const executions = new ExecutionService({
      region,
      accountId,
      stateMachines: [],
      invokeLambda: (functionArn, payload) =>
        invokeByArn(runner, arnToFunction, functionArn, payload),
    });
    const stepFunctions = await startStepFunctionsServer({
      service: executions,
      host: loopback,
      onRequest: ({ action, status, durationMs }) =>
        log(`sfn ${action} ${status} ${durationMs.toFixed(0)}ms`),
    });
    cleanups.push(() => stepFunctions.close());
    cleanups.push(() => executions.drain());

    const buildDir = options.buildDir ?? (await mkdtemp(join(tmpdir(), "orderflow-build-")));
    if (options.buildDir === undefined) {
      cleanups.push(() => rm(buildDir, { recursive: true, force: true }));
    } else {
      await mkdir(buildDir, { recursive: true });
    }

    const resources: LocalResources = {
      stage,
      region,
      tableName,
      stateMachineArn,
      emailSender: options.emailSender ?? `orders@${appName}.localhost`,
      endpoints: {
        dynamodb: dynamodb.endpoint,
        stepFunctions: stepFunctions.url,
        sesv2: outbox.url,
      },
    };
    runner = await startRunner(options, resources, buildDir);
    cleanups.push(() => (runner as LambdaRunner).stop());
    // Cleanups run in reverse, so running executions are aborted before the runner stops.
    cleanups.push(async () => executions.abortAll());

    const functionArns = {} as Record<WorkflowFunctionName, string>;
    for (const name of workflowFunctionNames()) {
      functionArns[name] = runner.arnOf(name);
    }
    for (const name of Object.keys(functions) as FunctionName[]) {
      arnToFunction.set(runner.arnOf(name), name);
    }
    executions.register({
      name: `${appName}-${stage}-${workflow.resource}`,
      arn: stateMachineArn,
      type: workflow.type,
      // The same builder gives the SST stack its definition, so both run one state machine.
      definition: buildWorkflowDefinition(functionArns),
    });

    const activeRunner = runner;
    const api = await startApiGateway({
      host: options.apiHost ?? loopback,
      port: options.apiPort ?? 0,
      routes,
      invoke: (name, event) => activeRunner.invoke(name, event),
      cors: corsFor(options.webOrigin),
      onRequest: (line) => log(formatRequestLine(line)),
    });
    cleanups.push(() => api.close());

    return {
      apiUrl: api.url,
      stepFunctionsUrl: stepFunctions.url,
      dynamodbUrl: dynamodb.endpoint,
      outboxDir: outbox.outboxDir,
      tableName,
      stateMachineArn,
      runner: activeRunner,
      executions,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Builds the API's CORS configuration from the rules the SST stack deploys, allowing the web
 * page's origin when known and any origin otherwise.
 */
function corsFor(webOrigin: string | undefined): CorsConfiguration {
  return {
    allowOrigins: webOrigin === undefined ? ["*"] : [webOrigin],
    allowMethods: routeMethods(),
    allowHeaders: [...cors.allowHeaders],
    exposeHeaders: [...cors.exposeHeaders],
    maxAge: cors.maxAgeSeconds,
  };
}

function dataDirOption(dataDir: string | undefined): { dataDir?: string } {
  return dataDir === undefined ? {} : { dataDir };
}

async function prepareTable(
  dynamodb: DynamoDbLocal,
  tableName: string,
  log: (line: string) => void,
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const created = await ensureTable(client, tableName);
    const { seeded } = await seedCatalogIfEmpty({ tableName, client });
    log(
      `table ${tableName} ${created ? "created" : "found"}, ${seeded > 0 ? `${seeded} products seeded` : "catalog kept"}`,
    );
  } finally {
    client.destroy();
  }
}

async function startRunner(
  options: StackOptions,
  resources: LocalResources,
  buildDir: string,
): Promise<LambdaRunner> {
  const names = Object.keys(functions) as FunctionName[];
  return LambdaRunner.start({
    functions: names.map((name) => ({
      name,
      spec: functions[name],
      environment: functionEnvironment(name, resources),
    })),
    rootDir: options.rootDir ?? repositoryRoot,
    buildDir,
    accountId,
    onLog: options.onFunctionLog ?? (() => {}),
    ...(options.faults ? { faults: options.faults } : {}),
  });
}

/** Resolves a Task state's function ARN to a runner function, as Lambda's Invoke API would. */
async function invokeByArn(
  runner: LambdaRunner | undefined,
  arnToFunction: Map<string, FunctionName>,
  functionArn: string,
  payload: unknown,
): Promise<InvokeOutcome> {
  const name = arnToFunction.get(functionArn);
  if (runner === undefined || name === undefined) {
    return {
      ok: false,
      error: {
        errorType: "Lambda.ResourceNotFoundException",
        errorMessage: `Function not found: ${functionArn}`,
      },
    };
  }
  return runner.invoke(name, payload);
}
