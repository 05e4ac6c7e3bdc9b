import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import type { ColdStartResult } from "./cold-start.ts";
import type { CostModel, MeasuredCounts } from "./cost.ts";
import type { LatencySummary } from "./lib/stats.ts";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  arch: string;
  node: string;
  /** 1-minute load average when the run started and when it ended (0 where unsupported). */
  loadAverage: { atStart: number; atEnd: number };
}

export interface ThroughputPhase {
  concurrency: number;
  orders: number;
  errors: number;
  durationSeconds: number;
  ordersPerSecond: number;
  latency: LatencySummary;
  statusCounts?: Record<string, number>;
  errorSamples?: string[];
  /** Failed Lambda invocations during the phase, by `function errorType`. */
  failedInvocations?: Record<string, number>;
}

export interface BreakdownItem {
  component: string;
  /** Mean per order at concurrency 1, in ms. */
  meanMs: number;
  /** Time of this part's DynamoDB calls in the ceiling phase at concurrency 1, in ms. */
  dynamodbMs: number;
  source: string;
}

/** CPU milliseconds per placed order in one path at one concurrency, by process. */
export interface CpuPerOrder {
  concurrency: number;
  path: "ceiling" | "end to end";
  orders: number;
  /** The benchmark process: the DynamoDB client in the ceiling, autocannon end to end. */
  benchMs: number;
  /** The offline stack's Node process: the emulators and the Lambda worker threads. */
  stackMs: number;
  dynamodbLocalMs: number;
}

export interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean;
  note: string;
}

export interface BenchResults {
  schemaVersion: 1;
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  machine: MachineInfo;
  settings: Record<string, number | string | number[]>;
  ceiling: ThroughputPhase[];
  endToEnd: ThroughputPhase[];
  headline: {
    ratios: { concurrency: number; ratio: number }[];
    /** End-to-end p50 minus ceiling p50 at concurrency 1, in ms. */
    extraLatencyMsAtConcurrency1: number;
  };
  breakdown: BreakdownItem[];
  /** Empty where the platform has no `/proc`. */
  cpu: CpuPerOrder[];
  coldStart: ColdStartResult[];
  counts: MeasuredCounts;
  cost: CostModel;
  targets: Target[];
  notes: string[];
}

export function describeMachine(loadAtStart: number): MachineInfo {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? "unknown",
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    platform: process.platform,
    arch: process.arch,
    node: process.version,
    loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] ?? 0 },
  };
}

/** CPU milliseconds per order over all processes. */
export function cpuTotal(entry: CpuPerOrder): number {
  return entry.benchMs + entry.stackMs + entry.dynamodbLocalMs;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "n/a");
const rate = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "n/a");
const usd = (value: number) => `$${value.toFixed(2)}`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Renders rows as a Markdown table, which also reads well as plain text on a terminal. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  const rule = `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

function throughputTable(phases: readonly ThroughputPhase[]): string {
  return table(
    ["concurrency", "orders", "errors", "orders/s", "p50 ms", "p95 ms", "p99 ms"],
    phases.map((phase) => [
      String(phase.concurrency),
      String(phase.orders),
      String(phase.errors),
      rate(phase.ordersPerSecond),
      ms(phase.latency.p50),
      ms(phase.latency.p95),
      ms(phase.latency.p99),
    ]),
  );
}

/** Renders the whole report as Markdown, which is also what the terminal shows. */
export function renderMarkdown(results: BenchResults): string {
  const { machine } = results;
  const sections: string[] = [];

  sections.push(
    `# orderflow benchmark, ${results.startedAt.slice(0, 10)}`,
    [
      `Run ${results.startedAt} to ${results.finishedAt} (${results.wallSeconds.toFixed(0)} s) on`,
      `${machine.cores} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.platform}/${machine.arch},`,
      `Node ${machine.node}; 1-minute load average ${machine.loadAverage.atStart.toFixed(1)} at the start`,
      `and ${machine.loadAverage.atEnd.toFixed(1)} at the end. Produced by \`pnpm bench\` (bench/run.ts).`,
    ].join(" "),
  );

  const ratioCells = results.headline.ratios.map(
    (entry) => `${entry.ratio.toFixed(2)} at concurrency ${entry.concurrency}`,
  );
  sections.push(
    "## Headline",
    [
      `- End-to-end throughput ÷ ceiling: ${ratioCells.join(", ")}.`,
      `- Extra latency per order at concurrency 1 (end-to-end p50 − ceiling p50): ${ms(results.headline.extraLatencyMsAtConcurrency1)} ms.`,
      `- Cost per million orders on AWS: ${usd(results.cost.express.totalUsdPerMillionOrders)} with Express, ${usd(results.cost.standard.totalUsdPerMillionOrders)} with Standard. The largest Express line is ${results.cost.largestExpressLine}. Without the e-mails (${usd(results.cost.emailUsdPerMillionOrders)}), Express costs ${usd(results.cost.express.totalUsdPerMillionOrders - results.cost.emailUsdPerMillionOrders)}.`,
    ].join("\n"),
  );

  sections.push(
    "## Targets",
    table(
      ["target", "goal", "measured", "met", "note"],
      results.targets.map((target) => [
        target.name,
        target.goal,
        target.measured,
        target.met ? "yes" : "no",
        target.note,
      ]),
    ),
  );

  sections.push(
    "## Ceiling: the DynamoDB calls of one order, issued directly",
    throughputTable(results.ceiling),
  );
  sections.push(
    "## End to end: POST /orders through the local stack",
    throughputTable(results.endToEnd),
  );

  const errorLines = results.endToEnd.flatMap((phase) => {
    const statuses = Object.entries(phase.statusCounts ?? {})
      .map(([status, count]) => `${status} × ${count}`)
      .join(", ");
    const failed = Object.entries(phase.failedInvocations ?? {})
      .map(([label, count]) => `${label} × ${count}`)
      .join(", ");
    if (phase.errors === 0) return [];
    return [
      `- c=${phase.concurrency}: responses ${statuses}${failed === "" ? "" : `; failed invocations ${failed}`}`,
      ...(phase.errorSamples ?? []).slice(0, 2).map((sample) => `  - \`${sample}\``),
    ];
  });
  if (errorLines.length > 0) {
    sections.push("Errors by phase", errorLines.join("\n"));
  }

  sections.push(
    "## Where the time goes (mean per order, concurrency 1)",
    table(
      ["component", "ms", "of which DynamoDB", "the rest", "measured by"],
      results.breakdown.map((item) => [
        item.component,
        ms(item.meanMs),
        ms(item.dynamodbMs),
        ms(item.meanMs - item.dynamodbMs),
        item.source,
      ]),
    ),
  );

  if (results.cpu.length > 0) {
    const cores = results.machine.cores;
    sections.push(
      "## CPU time per order, by process",
      `Both paths share this machine's ${cores} cores with everything they run, so the total bounds the throughput: ${cores} × 1000 ms ÷ CPU ms per order.`,
      table(
        [
          "concurrency",
          "path",
          "client or load generator ms",
          "offline stack ms",
          "DynamoDB Local ms",
          "total ms",
          `orders/s that ${cores} cores allow`,
        ],
        results.cpu.map((entry) => {
          const total = cpuTotal(entry);
          return [
            String(entry.concurrency),
            entry.path,
            ms(entry.benchMs),
            ms(entry.stackMs),
            ms(entry.dynamodbLocalMs),
            ms(total),
            rate((cores * 1000) / total),
          ];
        }),
      ),
    );
  }

  sections.push(
    "## Cold start: bundles as SST builds them",
    table(
      ["function", "bundle", "gzip", "init median ms", "runs", "largest packages in the bundle"],
      results.coldStart.map((entry) => [
        entry.functionName,
        kb(entry.bundleBytes),
        kb(entry.gzipBytes),
        ms(entry.initMsMedian),
        String(entry.initMsRuns.length),
        entry.largestPackages
          .slice(0, 3)
          .map((share) => `${share.name} ${kb(share.bytes)}`)
          .join(", "),
      ]),
    ),
  );

  const costRows = (lines: CostModel["express"]["lines"]) =>
    lines.map((line) => [
      line.item,
      line.quantityPerMillionOrders.toLocaleString("en-US", { maximumFractionDigits: 0 }),
      line.unit,
      usd(line.usdPerMillionOrders),
      line.estimate ? "estimate" : "measured count × list price",
    ]);
  const costHeader = ["item", "quantity per 1M orders", "unit", "USD per 1M orders", "basis"];
  sections.push(
    `## Cost per million orders (AWS list prices, ${results.cost.region}, checked ${results.cost.pricesCheckedOn})`,
    `Express (as built): ${usd(results.cost.express.totalUsdPerMillionOrders)}`,
    table(costHeader, costRows(results.cost.express.lines)),
    `Standard (for comparison): ${usd(results.cost.standard.totalUsdPerMillionOrders)}`,
    table(costHeader, costRows(results.cost.standard.lines)),
  );

  const counts = results.counts;
  sections.push(
    "Measured per order",
    [
      `- Lambda invocations: ${counts.lambda.map((fn) => `${fn.functionName} ${fn.invocationsPerOrder.toFixed(2)} × ${ms(fn.billedMsPerInvocation)} ms`).join(", ")}`,
      `- State transitions per execution: ${counts.stateTransitionsPerExecution.toFixed(2)}; Express billed duration per execution: ${counts.expressBilledMsPerExecution.toFixed(0)} ms at ${counts.expressBilledMemoryMb} MB`,
      `- DynamoDB: ${counts.readRequestUnitsPerOrder.toFixed(2)} RRU and ${counts.writeRequestUnitsPerOrder.toFixed(2)} WRU`,
      `- API requests: ${counts.apiRequestsPerOrder.toFixed(2)}; e-mails: ${counts.emailsPerOrder.toFixed(2)}`,
    ].join("\n"),
  );

  if (counts.dynamodbCallsPerOrder.length > 0) {
    sections.push(
      "DynamoDB calls per order, in the order the request path makes them",
      table(
        ["function and operation", "calls", "RRU", "WRU"],
        counts.dynamodbCallsPerOrder.map((entry) => [
          entry.call,
          entry.calls.toFixed(2),
          entry.readRequestUnits.toFixed(2),
          entry.writeRequestUnits.toFixed(2),
        ]),
      ),
    );
  }

  if (results.notes.length > 0) {
    sections.push("## Notes", results.notes.map((note) => `- ${note}`).join("\n"));
  }

  return `${sections.join("\n\n")}\n`;
}

/** Writes `latest.json`/`latest.md` and a dated copy of each under `dir`; returns the paths. */
export async function writeResults(dir: string, results: BenchResults): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const stamp = results.startedAt.replaceAll(":", "-").replace(/\.\d+Z$/, "Z");
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const markdown = renderMarkdown(results);
  const files: [string, string][] = [
    [join(dir, "latest.json"), json],
    [join(dir, "latest.md"), markdown],
    [join(dir, `${stamp}.json`), json],
    [join(dir, `${stamp}.md`), markdown],
  ];
  for (const [path, content] of files) {
    await writeFile(path, content);
  }
  return files.map(([path]) => path);
}
