/**
 * CPU time of the benchmark process and of the offline stack's process tree, read from Linux's
 * `/proc`. Divided by the orders of a phase, it shows which process a throughput ratio is
 * spent in on a machine with few cores. Other platforms report no CPU figures.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";

/** CPU milliseconds, user and system, used so far. */
export interface CpuSample {
  /** This process: the load generator, or the ceiling's DynamoDB client. */
  benchMs: number;
  /** The stack's Node process and its threads: emulators and Lambda worker threads. */
  stackMs: number;
  /** DynamoDB Local's JVM. */
  dynamodbLocalMs: number;
}

export const cpuAccountingSupported = existsSync("/proc/self/stat");

let ticksPerSecond: number | undefined;

/** Reads the kernel's clock ticks per second, which `/proc/<pid>/stat` counts CPU time in. */
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    } catch {
      ticksPerSecond = 100;
    }
    if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0) ticksPerSecond = 100;
  }
  return ticksPerSecond;
}

interface ProcessStat {
  pid: number;
  parentPid: number;
  command: string;
  cpuMs: number;
}

function readProcessStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }

  // The command name sits in parentheses and may contain spaces, so the numbered fields are
  // counted from the last ")". After it come field 3 (state), 4 (ppid), ... 14 (utime), 15 (stime),
  // 16 (cutime) and 17 (cstime). The last two hold children that exited, which keeps their time
  // in the tree after they leave it.
  const close = text.lastIndexOf(")");
  const command = text.slice(text.indexOf("(") + 1, close);
  const fields = text.slice(close + 2).split(" ");
  const userTicks = Number(fields[11]) + Number(fields[13]);
  const systemTicks = Number(fields[12]) + Number(fields[14]);
  return {
    pid,
    parentPid: Number(fields[1]),
    command,
    cpuMs: ((userTicks + systemTicks) * 1000) / clockTicksPerSecond(),
  };
}

/** Samples the CPU time of this process and of every process under `stackPid`. */
export function sampleCpu(stackPid: number): CpuSample {
  const own = process.cpuUsage();
  const sample: CpuSample = {
    benchMs: (own.user + own.system) / 1000,
    stackMs: 0,
    dynamodbLocalMs: 0,
  };
  if (!cpuAccountingSupported) return sample;

  const stats = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcessStat(Number(name)))
    .filter((stat): stat is ProcessStat => stat !== undefined);
  const children = new Map<number, ProcessStat[]>();
  for (const stat of stats) {
    children.set(stat.parentPid, [...(children.get(stat.parentPid) ?? []), stat]);
  }

  const root = stats.find((stat) => stat.pid === stackPid);
  const pending = root === undefined ? [] : [root];
  for (let stat = pending.pop(); stat !== undefined; stat = pending.pop()) {
    if (stat.command === "java") {
      sample.dynamodbLocalMs += stat.cpuMs;
    } else {
      sample.stackMs += stat.cpuMs;
    }
    pending.push(...(children.get(stat.pid) ?? []));
  }
  return sample;
}

/** Subtracts one sample from a later one: the CPU time used in between. */
export function cpuBetween(before: CpuSample, after: CpuSample): CpuSample {
  return {
    benchMs: after.benchMs - before.benchMs,
    stackMs: after.stackMs - before.stackMs,
    dynamodbLocalMs: after.dynamodbLocalMs - before.dynamodbLocalMs,
  };
}

/** Adds two CPU time spans. */
export function addCpu(a: CpuSample, b: CpuSample): CpuSample {
  return {
    benchMs: a.benchMs + b.benchMs,
    stackMs: a.stackMs + b.stackMs,
    dynamodbLocalMs: a.dynamodbLocalMs + b.dynamodbLocalMs,
  };
}
