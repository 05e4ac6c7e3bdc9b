/**
 * `pnpm bench`: throughput, latency, where the time goes, cold start and cost per million orders
 * of orderflow on the offline stack, measured in one run. Results go to bench/results/ and the
 * terminal. `--quick` runs a fifth of the requests; `--skip-cold-start` leaves the cold start
 * phase out.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createStore } from "../packages/core/src/db/table.ts";
import { functions, workflow } from "../stacks/manifest.ts";
import {
  calibrateTransactionUnits,
  emptyTally,
  instrumentClient,
  mergeCeilingPhases,
  runCeilingPhase,
  seedBenchProducts,
  setTransactionSizing,
} from "./ceiling.ts";
import { measureColdStarts } from "./cold-start.ts";
import {
  computeCost,
  EXPRESS_MEMORY_ESTIMATE_MB,
  expressBilledMs,
  lambdaBilledMs,
  type MeasuredCounts,
  meteredApiRequests,
} from "./cost.ts";
import { type LoadPhaseResult, mergeLoadPhases, runLoadPhase } from "./end-to-end.ts";
import {
  addCpu,
  type CpuSample,
  cpuAccountingSupported,
  cpuBetween,
  sampleCpu,
} from "./lib/cpu.ts";
import { ProgressLine } from "./lib/progress.ts";
import { StackClient } from "./lib/stack-client.ts";
import { mean } from "./lib/stats.ts";
import {
  type BenchResults,
  type BreakdownItem,
  type CpuPerOrder,
  cpuTotal,
  describeMachine,
  renderMarkdown,
  type Target,
  type ThroughputPhase,
  writeResults,
} from "./report.ts";
import type { ExecutionRecord, InvocationRecord } from "./stack-process.ts";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const resultsDir = fileURLToPath(new URL("./results", import.meta.url));
const quick = process.argv.includes("--quick");
const skipColdStart = process.argv.includes("--skip-cold-start");
const scale = quick ? 0.2 : 1;

/**
 * Bounds of every phase. Each phase stops at its request count or its time limit, whichever
 * comes first, which keeps a full run under 10 minutes on a 2-core machine.
 */
const settings = {
  concurrencies: [1, 8, 32],
  ceilingOrders: { 1: 300, 8: 1500, 32: 2000 } as Record<number, number>,
  ceilingMaxSeconds: 30,
  endToEndRequests: { 1: 200, 8: 800, 32: 1000 } as Record<number, number>,
  endToEndMaxSeconds: 75,
  warmUpDirectOrders: 1500,
  warmUpDirectSeconds: 25,
  coldStartRuns: quick ? 3 : 7,
  /** Maximum wait for running invocations to finish between phases, in seconds. */
  settleSeconds: 30,
  /** Executions per phase whose duration and state count are read back. */
  executionSample: 200,
};

function scaled(count: number): number {
  return Math.max(10, Math.round(count * scale));
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAtStart = loadavg()[0] ?? 0;
  const progress = new ProgressLine();
  const runId = startedAt.getTime().toString(36);
  const notes: string[] = [];

  let coldStart: Awaited<ReturnType<typeof measureColdStarts>> = [];
  if (!skipColdStart) {
    progress.startPhase("cold start");
    coldStart = await measureColdStarts({ runs: settings.coldStartRuns, repoRoot, progress });
    progress.endPhase(`${coldStart.length} functions bundled and initialised`);
  }

  progress.startPhase("offline stack");
  const outboxDir = await mkdtemp(join(tmpdir(), "orderflow-bench-outbox-"));
  const stack = await StackClient.start(outboxDir);
  progress.endPhase(`API on ${stack.info.apiUrl}, DynamoDB Local on ${stack.info.dynamodbUrl}`);

  try {
    const results = await measure(stack, progress, runId, notes);
    const finishedAt = new Date();
    const complete: BenchResults = {
      schemaVersion: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      wallSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      machine: describeMachine(loadAtStart),
      settings: {
        concurrencies: settings.concurrencies,
        ceilingMaxSeconds: settings.ceilingMaxSeconds,
        endToEndMaxSeconds: settings.endToEndMaxSeconds,
        warmUpDirectOrders: settings.warmUpDirectOrders,
        coldStartRuns: settings.coldStartRuns,
        scale,
      },
      coldStart,
      notes,
      ...results,
      targets: [],
    };
    complete.targets = evaluateTargets(complete);

    const files = await writeResults(resultsDir, complete);
    process.stdout.write(`\n${renderMarkdown(complete)}\n`);
    progress.note(`results written to ${files.slice(0, 2).join(" and ")}`);
  } finally {
    await stack.stop();
    await rm(outboxDir, { recursive: true, force: true });
  }
}

type Measured = Pick<
  BenchResults,
  "ceiling" | "endToEnd" | "headline" | "breakdown" | "cpu" | "counts" | "cost"
>;

const noCpu: CpuSample = { benchMs: 0, stackMs: 0, dynamodbLocalMs: 0 };

/** Divides a phase's CPU time by the orders it placed. */
function perOrder(
  concurrency: number,
  path: CpuPerOrder["path"],
  orders: number,
  used: CpuSample,
): CpuPerOrder {
  const divide = (value: number) => (orders > 0 ? value / orders : Number.NaN);
  return {
    concurrency,
    path,
    orders,
    benchMs: divide(used.benchMs),
    stackMs: divide(used.stackMs),
    dynamodbLocalMs: divide(used.dynamodbLocalMs),
  };
}

async function measure(
  stack: StackClient,
  progress: ProgressLine,
  runId: string,
  notes: string[],
): Promise<Measured> {
  // The benchmark's own DynamoDB client reads its endpoint from the standard variables, exactly
  // as the handlers' clients do.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = stack.info.dynamodbUrl;
  process.env.AWS_REGION = "us-east-1";
  process.env.AWS_ACCESS_KEY_ID = "local";
  process.env.AWS_SECRET_ACCESS_KEY = "local";
  const store = createStore({ tableName: stack.info.tableName });
  let tally = emptyTally();
  instrumentClient(store, () => tally);
  await seedBenchProducts(store);

  let nextOrder = 0;
  const reserve = (count: number) => {
    const first = nextOrder;
    nextOrder += count;
    return first;
  };

  // Warm-up, whose measurements are thrown away: start Lambda instances up to the highest
  // concurrency, then give DynamoDB Local's JVM time to compile its hot paths. On a cold JVM an
  // order's calls take several times longer than after a thousand orders.
  progress.startPhase("warm-up");
  // The ramp doubles the concurrency step by step, so each step starts only a few new Lambda
  // instances at once. Dozens of instances loading their bundles together on a 2-core machine
  // would each take seconds, and the first requests would measure the load, not the stack.
  const warmUpPhases: LoadPhaseResult[] = [];
  const topConcurrency = Math.max(...settings.concurrencies);
  for (let concurrency = 1; concurrency <= topConcurrency; concurrency *= 2) {
    const requests = concurrency * 2;
    warmUpPhases.push(
      await runLoadPhase({
        apiUrl: stack.info.apiUrl,
        concurrency,
        maxRequests: requests,
        maxSeconds: 60,
        keyPrefix: `bench-${runId}-warm-c${concurrency}`,
        firstOrder: reserve(requests),
        progress,
      }),
    );
  }
  const warmUp = warmUpPhases.reduce((total, phase) => mergeLoadPhases(total, phase));
  await runCeilingPhase(
    {
      store,
      concurrency: 8,
      maxOrders: scaled(settings.warmUpDirectOrders),
      maxSeconds: settings.warmUpDirectSeconds * scale,
      keyPrefix: `bench-${runId}-warm-direct`,
      firstOrder: reserve(scaled(settings.warmUpDirectOrders)),
      progress,
    },
    tally,
  );
  if (!(await stack.settle(settings.settleSeconds))) {
    notes.push(
      `Lambda invocations of the warm-up were still running ${settings.settleSeconds} s after it ended.`,
    );
  }
  await stack.takeInvocations();
  if (warmUp.created === 0) {
    const recent = await stack.recentLog();
    throw new Error(
      [
        "no order was created during the warm-up. First responses:",
        ...warmUp.errorSamples,
        "Last lines of the stack's log:",
        ...recent,
      ].join("\n"),
    );
  }
  progress.endPhase(`${warmUp.created} orders through the API, ${warmUp.errors} errors`);

  const ceiling: ThroughputPhase[] = [];
  const endToEnd: LoadPhaseResult[] = [];
  const tallies: ReturnType<typeof emptyTally>[] = [];
  const invocationsAtConcurrency1: InvocationRecord[] = [];
  const executionsAtConcurrency1: ExecutionRecord[] = [];
  const failedInvocations = new Map<number, Record<string, number>>();
  let emailsAtConcurrency1 = 0;
  const cpu: CpuPerOrder[] = [];

  // Ceiling and end-to-end alternate per concurrency in the order ceiling, end to end, end to
  // end, ceiling, each run with half the requests. Both paths thus see the same machine state,
  // and a drift during the run (DynamoDB Local's JVM keeps getting faster) cancels out.
  for (const concurrency of settings.concurrencies) {
    tally = emptyTally();
    const halfOrders = Math.ceil(scaled(settings.ceilingOrders[concurrency] ?? 500) / 2);
    const halfRequests = Math.ceil(scaled(settings.endToEndRequests[concurrency] ?? 500) / 2);

    let ceilingCpu = noCpu;
    let endToEndCpu = noCpu;

    const directHalf = async (half: number) => {
      progress.startPhase(`ceiling c=${concurrency} (${half}/2)`);
      const cpuBefore = sampleCpu(stack.pid);
      const result = await runCeilingPhase(
        {
          store,
          concurrency,
          maxOrders: halfOrders,
          maxSeconds: settings.ceilingMaxSeconds / 2,
          keyPrefix: `bench-${runId}-direct-c${concurrency}-${half}`,
          firstOrder: reserve(halfOrders),
          progress,
        },
        tally,
      );
      ceilingCpu = addCpu(ceilingCpu, cpuBetween(cpuBefore, sampleCpu(stack.pid)));
      progress.endPhase(
        `${result.orders} orders, ${result.ordersPerSecond.toFixed(1)}/s, p50 ${result.latency.p50.toFixed(1)} ms, ${result.errors} errors`,
      );
      return result;
    };

    const apiHalf = async (half: number) => {
      progress.startPhase(`end to end c=${concurrency} (${half}/2)`);
      // Invocations still running from an earlier phase would be counted in this one.
      if (!(await stack.settle(settings.settleSeconds))) {
        notes.push(
          `c=${concurrency}: earlier invocations were still running when half ${half} began.`,
        );
      }
      await stack.takeInvocations();
      const emailsBefore = await countEmails(stack.info.outboxDir);
      const cpuBefore = sampleCpu(stack.pid);

      const result = await runLoadPhase({
        apiUrl: stack.info.apiUrl,
        concurrency,
        maxRequests: halfRequests,
        maxSeconds: settings.endToEndMaxSeconds / 2,
        keyPrefix: `bench-${runId}-api-c${concurrency}-${half}`,
        firstOrder: reserve(halfRequests),
        progress,
      });
      // The endpoint keeps a bounded history, so executions are read back after each half.
      const sample = result.placed
        .slice(-settings.executionSample / 2)
        .map((order) => order.executionName);
      const phaseExecutions = await stack.describeExecutions(sample);
      // Requests that the client gave up on may still run, and they belong to this phase.
      await stack.settle(settings.settleSeconds);
      endToEndCpu = addCpu(endToEndCpu, cpuBetween(cpuBefore, sampleCpu(stack.pid)));
      const phaseInvocations = await stack.takeInvocations();
      const failed = failedInvocations.get(concurrency) ?? {};
      for (const record of phaseInvocations) {
        if (record.ok) continue;
        const label = `${record.functionName} ${record.errorType ?? "error"}`;
        failed[label] = (failed[label] ?? 0) + 1;
      }
      failedInvocations.set(concurrency, failed);
      if (concurrency === 1) {
        invocationsAtConcurrency1.push(...phaseInvocations);
        executionsAtConcurrency1.push(...phaseExecutions);
        emailsAtConcurrency1 += (await countEmails(stack.info.outboxDir)) - emailsBefore;
      }
      progress.endPhase(
        `${result.created} orders, ${result.ordersPerSecond.toFixed(1)}/s, p50 ${result.latency.p50.toFixed(1)} ms, ${result.errors} errors`,
      );
      return result;
    };

    const directFirst = await directHalf(1);
    const apiFirst = await apiHalf(1);
    const apiSecond = await apiHalf(2);
    const directSecond = await directHalf(2);

    const direct = mergeCeilingPhases(directFirst, directSecond);
    tallies.push(direct.dynamodb);
    ceiling.push({
      concurrency,
      orders: direct.orders,
      errors: direct.errors,
      durationSeconds: direct.durationSeconds,
      ordersPerSecond: direct.ordersPerSecond,
      latency: direct.latency,
      errorSamples: direct.errorSamples,
    });
    const merged = mergeLoadPhases(apiFirst, apiSecond);
    endToEnd.push(merged);
    if (cpuAccountingSupported) {
      cpu.push(
        perOrder(concurrency, "ceiling", direct.orders, ceilingCpu),
        perOrder(concurrency, "end to end", merged.created, endToEndCpu),
      );
    }
  }

  const headline = {
    ratios: settings.concurrencies.map((concurrency, index) => ({
      concurrency,
      ratio:
        (endToEnd[index]?.ordersPerSecond ?? 0) / (ceiling[index]?.ordersPerSecond ?? Number.NaN),
    })),
    extraLatencyMsAtConcurrency1:
      (endToEnd[0]?.latency.p50 ?? Number.NaN) - (ceiling[0]?.latency.p50 ?? Number.NaN),
  };

  const breakdown = whereTheTimeGoes(
    endToEnd[0],
    invocationsAtConcurrency1,
    executionsAtConcurrency1,
    tallies[0],
    ceiling[0],
  );

  progress.startPhase("transaction sizes");
  const calibration = emptyTally();
  tally = calibration;
  setTransactionSizing(true);
  let sizing: Awaited<ReturnType<typeof runCeilingPhase>>;
  try {
    sizing = await runCeilingPhase(
      {
        store,
        concurrency: 1,
        maxOrders: 20,
        maxSeconds: 30,
        keyPrefix: `bench-${runId}-sizing`,
        firstOrder: reserve(20),
        progress,
      },
      calibration,
    );
  } finally {
    setTransactionSizing(false);
  }
  calibrateTransactionUnits(tallies, calibration);
  const sized = calibration.byCall["PersistOrder TransactWriteItems"];
  if (sized === undefined || sized.calls === 0 || sizing.errors > 0) {
    notes.push(
      `Sizing the order's transactions failed for ${sizing.errors} of 20 orders${sizing.errorSamples[0] === undefined ? "" : ` (${sizing.errorSamples[0]})`}. ${sized === undefined || sized.calls === 0 ? "The DynamoDB write units leave the transaction out, so they and the cost are too low." : "The transaction's units come from the orders that succeeded."}`,
    );
  }
  progress.endPhase(
    `${sized?.calls ?? 0} transactions sized, ${((sized?.writeUnits ?? 0) / Math.max(1, sized?.calls ?? 0)).toFixed(1)} WRU each, ${sizing.errors} errors${sizing.errorSamples[0] === undefined ? "" : `: ${sizing.errorSamples[0]}`}`,
  );

  // Counts for the cost model come from concurrency 1: on AWS every invocation gets its own
  // CPU share whatever the concurrency, while here higher concurrencies share two cores and
  // stretch every duration.
  const createdAtConcurrency1 = endToEnd[0]?.created ?? 0;
  const counts = measuredCounts({
    invocations: invocationsAtConcurrency1,
    executions: executionsAtConcurrency1,
    tallies,
    ceilingOrders: ceiling.reduce((sum, phase) => sum + phase.orders + phase.errors, 0),
    createdOrders: createdAtConcurrency1,
    emailsPerOrder: emailsAtConcurrency1 / Math.max(1, createdAtConcurrency1),
    requestBytes: mean(endToEnd.flatMap((phase) => phase.placed.map((o) => o.requestBytes))),
  });

  notes.push(
    "DynamoDB read and write units per order are those of the ceiling phase, which issues the same calls through the same core functions with ReturnConsumedCapacity=TOTAL; DynamoDB Local computes them from item sizes as DynamoDB does. The exception is TransactWriteItems, which DynamoDB Local under-reports: its units are computed from the sizes of its items (2 per started KB per item) over 20 extra orders.",
    "Lambda invocations, billed durations, Express durations and e-mails per order are measured at concurrency 1. Lambda billed durations are the local runner's measured durations, rounded up to 1 ms; on AWS a 512 MB arm64 function gets a smaller CPU share than a core of this machine, so treat those lines as estimates. Since August 2025 AWS also bills the init phase of cold starts, which this model leaves out.",
    `Express billed memory is assumed to be ${EXPRESS_MEMORY_ESTIMATE_MB} MB, the smallest billing chunk; Express duration is the local execution time rounded up to 100 ms, which AWS will exceed because its Lambda invocations take longer than in-process ones.`,
    "The Standard column prices the same executions per state transition and keeps every other line equal; Standard workflows cannot be started synchronously, so PlaceOrder would have to poll instead.",
  );

  return {
    ceiling,
    endToEnd: endToEnd.map((phase) => ({
      concurrency: phase.concurrency,
      orders: phase.created,
      errors: phase.errors,
      durationSeconds: phase.durationSeconds,
      ordersPerSecond: phase.ordersPerSecond,
      latency: phase.latency,
      statusCounts: phase.statusCounts,
      errorSamples: phase.errorSamples,
      failedInvocations: failedInvocations.get(phase.concurrency) ?? {},
    })),
    headline,
    breakdown,
    cpu,
    counts,
    cost: computeCost(counts),
  };
}

async function countEmails(outboxDir: string): Promise<number> {
  const names = await readdir(outboxDir);
  return names.filter((name) => name.endsWith(".json")).length;
}

function meanDuration(records: readonly InvocationRecord[], functionName: string): number {
  return mean(
    records
      .filter((record) => record.functionName === functionName)
      .map((record) => record.durationMs),
  );
}

/**
 * Splits the mean end-to-end latency at concurrency 1 into parts that add up to it: the API
 * emulator, PlaceOrder around the workflow, the Step Functions endpoint around the steps and each
 * step's Lambda. Each part also gets the time its DynamoDB calls take in the ceiling phase, so the
 * rest is what the request path adds to the ceiling.
 */
function whereTheTimeGoes(
  phase: LoadPhaseResult | undefined,
  invocations: readonly InvocationRecord[],
  executions: readonly ExecutionRecord[],
  tally: ReturnType<typeof emptyTally> | undefined,
  ceiling: ThroughputPhase | undefined,
): BreakdownItem[] {
  if (phase === undefined || phase.created === 0) return [];

  const ceilingOrders = ceiling?.orders ?? 0;
  const dynamodbMs = (functionName?: string) => {
    if (tally === undefined || ceilingOrders === 0) return Number.NaN;
    const total =
      functionName === undefined ? tally.timeMs : (tally.timeMsByFunction[functionName] ?? 0);
    return total / ceilingOrders;
  };

  const client = phase.latency.mean;
  const placeOrder = meanDuration(invocations, "PlaceOrder");
  const execution = mean(executions.map((record) => record.durationMs));
  const steps = Object.entries(workflow.steps).map(([step, functionName]) => ({
    step,
    functionName,
    ms: meanDuration(invocations, functionName),
  }));
  const stepsTotal = steps.reduce((sum, step) => sum + (Number.isFinite(step.ms) ? step.ms : 0), 0);

  return [
    {
      component: "POST /orders as the client sees it",
      meanMs: client,
      dynamodbMs: dynamodbMs(),
      source: "autocannon",
    },
    {
      component: "├ API Gateway emulator and HTTP",
      meanMs: client - placeOrder,
      dynamodbMs: 0,
      source: "client time − PlaceOrder invocation",
    },
    {
      component: "├ PlaceOrder around the workflow",
      meanMs: placeOrder - execution,
      dynamodbMs: dynamodbMs("PlaceOrder"),
      source: "PlaceOrder invocation − execution duration",
    },
    {
      component: "├ Step Functions endpoint around the steps",
      meanMs: execution - stepsTotal,
      dynamodbMs: 0,
      source: "execution duration − step invocations",
    },
    ...steps.map((step) => ({
      component: `├ ${step.step} step (${step.functionName})`,
      meanMs: step.ms,
      dynamodbMs: dynamodbMs(step.functionName),
      source: "Lambda runner invocation duration",
    })),
  ];
}

function measuredCounts(input: {
  invocations: readonly InvocationRecord[];
  executions: readonly ExecutionRecord[];
  tallies: readonly ReturnType<typeof emptyTally>[];
  ceilingOrders: number;
  createdOrders: number;
  emailsPerOrder: number;
  requestBytes: number;
}): MeasuredCounts {
  const orders = Math.max(1, input.createdOrders);
  const lambda = (Object.keys(functions) as (keyof typeof functions)[])
    .map((functionName) => {
      const records = input.invocations.filter((record) => record.functionName === functionName);
      return {
        functionName,
        memoryMb: functions[functionName].memory,
        invocationsPerOrder: records.length / orders,
        billedMsPerInvocation: mean(records.map((record) => lambdaBilledMs(record.durationMs))),
      };
    })
    .filter((entry) => entry.invocationsPerOrder > 0);

  const ceilingOrders = Math.max(1, input.ceilingOrders);
  const readUnits = input.tallies.reduce((sum, tally) => sum + tally.readUnits, 0);
  const writeUnits = input.tallies.reduce((sum, tally) => sum + tally.writeUnits, 0);
  const byCall = new Map<string, { calls: number; readUnits: number; writeUnits: number }>();
  for (const tally of input.tallies) {
    for (const [call, used] of Object.entries(tally.byCall)) {
      const total = byCall.get(call) ?? { calls: 0, readUnits: 0, writeUnits: 0 };
      total.calls += used.calls;
      total.readUnits += used.readUnits;
      total.writeUnits += used.writeUnits;
      byCall.set(call, total);
    }
  }
  return {
    apiRequestsPerOrder: meteredApiRequests(input.requestBytes),
    lambda,
    expressBilledMsPerExecution: mean(
      input.executions.map((record) => expressBilledMs(record.durationMs)),
    ),
    expressBilledMemoryMb: EXPRESS_MEMORY_ESTIMATE_MB,
    stateTransitionsPerExecution: mean(input.executions.map((record) => record.statesEntered)),
    executionsPerOrder: 1,
    readRequestUnitsPerOrder: readUnits / ceilingOrders,
    writeRequestUnitsPerOrder: writeUnits / ceilingOrders,
    dynamodbCallsPerOrder: [...byCall].map(([call, used]) => ({
      call,
      calls: used.calls / ceilingOrders,
      readRequestUnits: used.readUnits / ceilingOrders,
      writeRequestUnits: used.writeUnits / ceilingOrders,
    })),
    emailsPerOrder: input.emailsPerOrder,
  };
}

/** Compares the CPU time per order of both paths at `concurrency`, or returns "" without figures. */
function cpuExplanation(results: BenchResults, concurrency: number): string {
  const at = (path: CpuPerOrder["path"]) =>
    results.cpu.find((entry) => entry.concurrency === concurrency && entry.path === path);
  const ceiling = at("ceiling");
  const endToEnd = at("end to end");
  if (ceiling === undefined || endToEnd === undefined) return "";
  return ` An order end to end costs ${cpuTotal(endToEnd).toFixed(1)} CPU ms against the ceiling's ${cpuTotal(ceiling).toFixed(1)}, ${endToEnd.stackMs.toFixed(1)} of them in the offline stack's emulators and Lambda workers.`;
}

/** Names the largest Express cost line besides the e-mails, with its price per million orders. */
function largestBesidesEmail(results: BenchResults): string {
  const [largest] = results.cost.express.lines
    .filter((line) => line.unit !== "e-mails")
    .sort((a, b) => b.usdPerMillionOrders - a.usdPerMillionOrders);
  if (largest === undefined) return "nothing else";
  return `${largest.item} $${largest.usdPerMillionOrders.toFixed(2)}`;
}

function evaluateTargets(results: BenchResults): Target[] {
  const targets: Target[] = [];
  const ratioAt8 = results.headline.ratios.find((entry) => entry.concurrency === 8)?.ratio;
  if (ratioAt8 !== undefined) {
    targets.push({
      name: "throughput at concurrency 8",
      goal: "≥ 0.8 of the ceiling",
      measured: ratioAt8.toFixed(2),
      met: ratioAt8 >= 0.8,
      note:
        ratioAt8 >= 0.8
          ? ""
          : `short by ${(0.8 - ratioAt8).toFixed(2)}.${cpuExplanation(results, 8)}`,
    });
  }

  const extra = results.headline.extraLatencyMsAtConcurrency1;
  targets.push({
    name: "extra latency per order at concurrency 1",
    goal: "< 5 ms",
    measured: `${extra.toFixed(1)} ms`,
    met: extra < 5,
    note: extra < 5 ? "" : `over by ${(extra - 5).toFixed(1)} ms. ${largestOverhead(results)}.`,
  });

  const largestBundle = [...results.coldStart].sort((a, b) => b.bundleBytes - a.bundleBytes)[0];
  if (largestBundle !== undefined) {
    const kb = largestBundle.bundleBytes / 1024;
    targets.push({
      name: "largest bundle",
      goal: "< 250 KB",
      measured: `${kb.toFixed(1)} KB (${largestBundle.functionName})`,
      met: kb < 250,
      note: kb < 250 ? "" : `over by ${(kb - 250).toFixed(1)} KB`,
    });
  }

  const slowestInit = [...results.coldStart].sort((a, b) => b.initMsMedian - a.initMsMedian)[0];
  if (slowestInit !== undefined) {
    targets.push({
      name: "slowest module initialisation",
      goal: "< 60 ms",
      measured: `${slowestInit.initMsMedian.toFixed(1)} ms (${slowestInit.functionName})`,
      met: slowestInit.initMsMedian < 60,
      note:
        slowestInit.initMsMedian < 60
          ? ""
          : `over by ${(slowestInit.initMsMedian - 60).toFixed(1)} ms`,
    });
  }

  const express = results.cost.express.totalUsdPerMillionOrders;
  const withoutEmail = express - results.cost.emailUsdPerMillionOrders;
  targets.push({
    name: "cost per million orders, Express",
    goal: "< $10",
    measured: `$${express.toFixed(2)}`,
    met: express < 10,
    note: [
      express < 10 ? "" : `over by $${(express - 10).toFixed(2)}.`,
      `Largest line: ${results.cost.largestExpressLine}.`,
      `Without the e-mails: $${withoutEmail.toFixed(2)}, of which ${largestBesidesEmail(results)}.`,
    ]
      .filter((part) => part !== "")
      .join(" "),
  });
  return targets;
}

/** Names the part of the request path that adds the most time to the ceiling's DynamoDB calls. */
function largestOverhead(results: BenchResults): string {
  const overheads = results.breakdown
    .filter((item) => item.component.startsWith("├"))
    .map((item) => ({ name: item.component.replace("├ ", ""), ms: item.meanMs - item.dynamodbMs }))
    .filter((item) => Number.isFinite(item.ms));
  const largest = [...overheads].sort((a, b) => b.ms - a.ms)[0];
  return largest === undefined
    ? "No breakdown was measured"
    : `The largest addition is ${largest.name} (${largest.ms.toFixed(1)} ms besides DynamoDB)`;
}

try {
  await main();
} catch (error) {
  process.stderr.write(
    `\npnpm bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
