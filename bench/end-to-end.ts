import autocannon, { type AutocannonResult } from "autocannon";
import type { ProgressLine } from "./lib/progress.ts";
import { type LatencySummary, summarizeLatencies } from "./lib/stats.ts";
import { benchOrder } from "./orders.ts";

export interface StepTiming {
  name: string;
  durationMs: number;
}

/** The fields the load driver keeps from one 201 response. */
export interface PlacedOrder {
  orderId: string;
  /** The workflow run's execution name, which is all the API returns of it. */
  executionName: string;
  latencyMs: number;
  steps: StepTiming[];
  notificationStatus: string;
  requestBytes: number;
}

export interface LoadPhaseResult {
  concurrency: number;
  /** Responses received, whatever their status. */
  responses: number;
  created: number;
  /** Non-201 responses plus connection errors and timeouts. */
  errors: number;
  statusCounts: Record<string, number>;
  /** Bodies of the first few non-201 responses, for the report. */
  errorSamples: string[];
  durationSeconds: number;
  ordersPerSecond: number;
  latency: LatencySummary;
  /** Latency of every 201 response, in ms. */
  latencies: number[];
  placed: PlacedOrder[];
}

export interface LoadPhaseOptions {
  apiUrl: string;
  concurrency: number;
  /** Upper bound on requests sent in the phase. */
  maxRequests: number;
  /** Upper bound on the phase's wall time, in seconds. */
  maxSeconds: number;
  /** Prefix of every Idempotency-Key of the phase, so keys never repeat within a run. */
  keyPrefix: string;
  /** Number of the first order, so phases place distinct orders. */
  firstOrder: number;
  progress: ProgressLine;
}

interface ResponseBody {
  orderId?: string;
  notification?: { status?: string };
  workflow?: { executionName?: string; steps?: { name?: string; durationMs?: number }[] };
}

/**
 * Places orders through the local API with autocannon at a fixed number of connections, each
 * request with its own Idempotency-Key, and records every response. Latency comes from
 * autocannon's per-response timing; a phase stops at `maxRequests` or `maxSeconds`.
 */
export function runLoadPhase(options: LoadPhaseOptions): Promise<LoadPhaseResult> {
  const latenciesOfCreated: number[] = [];
  const placed: PlacedOrder[] = [];
  const statusCounts: Record<string, number> = {};
  const errorSamples: string[] = [];
  let nextOrder = options.firstOrder;
  let responses = 0;
  let created = 0;
  let requestErrors = 0;

  // autocannon reports the status and body through the request's onResponse and the latency
  // through the instance's "response" event, in that order, for the same response. The body
  // is parsed in the first and completed with the latency in the second.
  let pendingOrder: Omit<PlacedOrder, "latencyMs"> | undefined;
  const requestBytesByKey = new Map<string, number>();

  return new Promise((resolvePhase, reject) => {
    const instance = autocannon(
      {
        url: options.apiUrl,
        connections: options.concurrency,
        amount: options.maxRequests,
        timeout: 30,
        requests: [
          {
            method: "POST",
            path: "/orders",
            setupRequest: (request) => {
              const n = nextOrder++;
              const key = `${options.keyPrefix}-${n}`;
              const body = JSON.stringify(benchOrder(n));
              requestBytesByKey.set(key, Buffer.byteLength(body));
              return {
                ...request,
                headers: { "content-type": "application/json", "idempotency-key": key },
                body,
              };
            },
            onResponse: (status, body) => {
              pendingOrder = undefined;
              statusCounts[status] = (statusCounts[status] ?? 0) + 1;
              if (status !== 201) {
                if (errorSamples.length < 5) {
                  errorSamples.push(`${status} ${body.slice(0, 300)}`);
                }
                return;
              }
              const parsed = JSON.parse(body) as ResponseBody;
              pendingOrder = {
                orderId: parsed.orderId ?? "",
                executionName: parsed.workflow?.executionName ?? "",
                steps: (parsed.workflow?.steps ?? []).map((step) => ({
                  name: step.name ?? "unknown",
                  durationMs: step.durationMs ?? Number.NaN,
                })),
                notificationStatus: parsed.notification?.status ?? "unknown",
                requestBytes: 0,
              };
            },
          },
        ],
      },
      (error, result) => {
        clearTimeout(deadline);
        if (error) {
          reject(error);
          return;
        }
        resolvePhase(summarize(result));
      },
    );

    const deadline = setTimeout(() => instance.stop(), options.maxSeconds * 1000);

    instance.on("response", (_client, statusCode, _resBytes, responseTime) => {
      responses++;
      if (statusCode === 201) {
        created++;
        latenciesOfCreated.push(responseTime);
        if (pendingOrder !== undefined) {
          placed.push({ ...pendingOrder, latencyMs: responseTime });
        }
      }
      pendingOrder = undefined;
      options.progress.update(
        `c=${options.concurrency} ${responses}/${options.maxRequests} responses, ${created} created`,
      );
    });
    instance.on("reqError", () => {
      requestErrors++;
    });
  });

  function summarize(result: AutocannonResult): LoadPhaseResult {
    const durationSeconds = result.duration;
    const averageRequestBytes =
      requestBytesByKey.size === 0
        ? 0
        : [...requestBytesByKey.values()].reduce((sum, bytes) => sum + bytes, 0) /
          requestBytesByKey.size;
    for (const order of placed) {
      order.requestBytes = averageRequestBytes;
    }
    const connectionErrors = Math.max(result.errors, requestErrors);
    return {
      concurrency: options.concurrency,
      responses,
      created,
      errors: responses - created + connectionErrors,
      statusCounts,
      errorSamples,
      durationSeconds,
      ordersPerSecond: durationSeconds > 0 ? created / durationSeconds : 0,
      latency: summarizeLatencies(latenciesOfCreated),
      latencies: latenciesOfCreated,
      placed,
    };
  }
}

/** Combines two runs at the same concurrency into one result, as if they were one phase. */
export function mergeLoadPhases(first: LoadPhaseResult, second: LoadPhaseResult): LoadPhaseResult {
  const statusCounts: Record<string, number> = { ...first.statusCounts };
  for (const [status, count] of Object.entries(second.statusCounts)) {
    statusCounts[status] = (statusCounts[status] ?? 0) + count;
  }
  const latencies = [...first.latencies, ...second.latencies];
  const durationSeconds = first.durationSeconds + second.durationSeconds;
  const created = first.created + second.created;
  return {
    concurrency: first.concurrency,
    responses: first.responses + second.responses,
    created,
    errors: first.errors + second.errors,
    statusCounts,
    errorSamples: [...first.errorSamples, ...second.errorSamples].slice(0, 5),
    durationSeconds,
    ordersPerSecond: durationSeconds > 0 ? created / durationSeconds : 0,
    latency: summarizeLatencies(latencies),
    latencies,
    placed: [...first.placed, ...second.placed],
  };
}
