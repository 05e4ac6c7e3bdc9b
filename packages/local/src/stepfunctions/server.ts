import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listen } from "../listen.ts";
import { apiErrors, StepFunctionsApiError } from "./errors.ts";
import { type Execution, type ExecutionService, payloadLimitBytes } from "./executions.ts";
import { renderExecutionsPage } from "./executions-page.ts";

/** Largest request body accepted: an execution input at the limit, JSON-escaped, fits. */
const maxRequestBytes = 4 * payloadLimitBytes;
const targetPrefix = "AWSStepFunctions.";
const contentType = "application/x-amz-json-1.0";

export interface StepFunctionsServerOptions {
  service: ExecutionService;
  host?: string;
  port?: number;
  onRequest?: (entry: { action: string; status: number; durationMs: number }) => void;
}

export interface StepFunctionsServer {
  url: string;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;
type Action = (body: Body) => Promise<unknown> | unknown;

/**
 * Serves Step Functions' JSON protocol on loopback: `POST /` with the action in `X-Amz-Target`.
 * Requests are signed by the SDK with SigV4; any signature is accepted, because the stack runs
 * with dummy credentials. `GET /` serves an HTML page of the recent executions.
 *
 * NOTE: AWS supports DescribeExecution, GetExecutionHistory and ListExecutions for Standard state
 * machines only, and keeps Express history in CloudWatch Logs. This endpoint serves them for
 * Express executions too, so that the offline history can be inspected.
 */
export async function startStepFunctionsServer(
  options: StepFunctionsServerOptions,
): Promise<StepFunctionsServer> {
  const actions = createActions(options.service);

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === "GET" && (request.url === "/" || request.url === "/executions")) {
      const html = renderExecutionsPage(options.service);
      response.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-length": Buffer.byteLength(html),
      });
      response.end(html);
      return;
    }

    const startedAt = performance.now();
    const target = String(request.headers["x-amz-target"] ?? "");
    const action = target.startsWith(targetPrefix) ? target.slice(targetPrefix.length) : target;

    let status = 200;
    try {
      const result = await handle(request, target, actions);
      send(response, 200, result);
    } catch (error) {
      const apiError =
        error instanceof StepFunctionsApiError
          ? error
          : new StepFunctionsApiError(
              "InternalFailure",
              `The local Step Functions endpoint failed: ${error instanceof Error ? error.message : String(error)}`,
              500,
            );
      status = apiError.status;
      sendError(response, apiError);
    }
    options.onRequest?.({
      action: action || "(no action)",
      status,
      durationMs: performance.now() - startedAt,
    });
  });

  return listen(server, options.port ?? 0, options.host ?? "127.0.0.1");
}

async function handle(
  request: IncomingMessage,
  target: string,
  actions: Record<string, Action>,
): Promise<unknown> {
  if (request.method !== "POST") {
    throw new StepFunctionsApiError(
      "UnknownOperationException",
      `Method ${request.method} is not supported: send POST / with an X-Amz-Target header.`,
      404,
    );
  }

  const action = target.startsWith(targetPrefix)
    ? actions[target.slice(targetPrefix.length)]
    : undefined;
  if (action === undefined) throw apiErrors.unknownOperation(target);

  const text = await readBody(request);
  let body: unknown;
  try {
    body = text.length === 0 ? {} : JSON.parse(text);
  } catch {
    throw apiErrors.serialization("The request body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw apiErrors.serialization("The request body must be a JSON object.");
  }
  return action(body as Body);
}

function createActions(service: ExecutionService): Record<string, Action> {
  return {
    StartSyncExecution: async (body) => {
      const spec = service.stateMachines.find((machine) => machine.arn === body.stateMachineArn);
      if (spec !== undefined && spec.type !== "EXPRESS") {
        throw new StepFunctionsApiError(
          "StateMachineTypeNotSupported",
          "This operation is not supported by this type of state machine",
        );
      }

      const execution = service.start(body.stateMachineArn, body.input, body.name);
      await execution.finished;
      return {
        ...executionFields(execution, body.includedData !== "METADATA_ONLY"),
        billingDetails: billingDetails(execution),
      };
    },

    StartExecution: (body) => {
      const execution = service.start(body.stateMachineArn, body.input, body.name);
      return { executionArn: execution.executionArn, startDate: execution.startDate };
    },

    DescribeExecution: (body) =>
      executionFields(service.describe(body.executionArn), body.includedData !== "METADATA_ONLY"),

    GetExecutionHistory: (body) => {
      const execution = service.describe(body.executionArn);
      const includeData = body.includeExecutionData !== false;
      const events = execution.events.map((event) => (includeData ? event : withoutData(event)));
      if (body.reverseOrder === true) events.reverse();

      const page = paginate(events, body.maxResults, body.nextToken);
      return { events: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },

    ListExecutions: (body) => {
      const executions = service.list(body.stateMachineArn, body.statusFilter).map((execution) => ({
        executionArn: execution.executionArn,
        stateMachineArn: execution.stateMachineArn,
        name: execution.name,
        status: execution.status,
        startDate: execution.startDate,
        ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
      }));

      const page = paginate(executions, body.maxResults, body.nextToken);
      return { executions: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
  };
}

/** Collects the fields DescribeExecution and StartSyncExecution share, leaving out absent ones. */
function executionFields(execution: Execution, includeData: boolean) {
  const fields: Record<string, unknown> = {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate,
  };
  if (execution.stopDate) fields.stopDate = execution.stopDate;
  if (includeData) {
    fields.input = execution.input;
    fields.inputDetails = { included: true };
  }
  if (execution.output !== undefined && includeData) {
    fields.output = execution.output;
    fields.outputDetails = { included: true };
  }
  if (execution.error !== undefined) fields.error = execution.error;
  if (execution.cause !== undefined && includeData) fields.cause = execution.cause;
  return fields;
}

/**
 * Express billing: duration rounded up to the next 100 ms and memory in 64 MB steps. The memory
 * figure is an estimate, because the local interpreter does not measure it.
 */
function billingDetails(execution: Execution) {
  const durationMs = (execution.stopDate?.getTime() ?? Date.now()) - execution.startDate.getTime();
  return {
    billedMemoryUsedInMB: 64,
    billedDurationInMilliseconds: Math.max(100, Math.ceil(durationMs / 100) * 100),
  };
}

/** Drops inputs and outputs from an event's details, for `includeExecutionData: false`. */
function withoutData(event: Execution["events"][number]) {
  const copy: Record<string, unknown> = { ...event };
  for (const [key, value] of Object.entries(copy)) {
    if (key.endsWith("EventDetails") && typeof value === "object" && value !== null) {
      const { input: _input, output: _output, ...rest } = value as Record<string, unknown>;
      copy[key] = rest;
    }
  }
  return copy;
}

function paginate<T>(items: T[], maxResults: unknown, nextToken: unknown) {
  if (
    maxResults !== undefined &&
    (!Number.isInteger(maxResults) || (maxResults as number) < 0 || (maxResults as number) > 1000)
  ) {
    throw apiErrors.validation(
      `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value between 0 and 1000`,
    );
  }
  const size = maxResults === undefined || maxResults === 0 ? 100 : (maxResults as number);

  let offset = 0;
  if (nextToken !== undefined && nextToken !== null) {
    const decoded = Number(Buffer.from(String(nextToken), "base64url").toString("utf8"));
    if (!Number.isInteger(decoded) || decoded < 0) throw apiErrors.invalidToken(String(nextToken));
    offset = decoded;
  }

  const end = offset + size;
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? Buffer.from(String(end)).toString("base64url") : undefined,
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxRequestBytes) {
        reject(apiErrors.requestTooLarge(size, maxRequestBytes));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Writes a JSON protocol response with dates as epoch seconds, as the protocol encodes them. */
function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, function (key, value) {
    const raw = (this as Record<string, unknown>)[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
  response.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
  });
  response.end(text);
}

function sendError(response: ServerResponse, error: StepFunctionsApiError): void {
  response.setHeader("x-amzn-errortype", error.name);
  send(response, error.status, { __type: error.name, message: error.message });
}
