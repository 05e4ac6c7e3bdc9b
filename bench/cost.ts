/**
 * Cost per million orders on AWS, computed from counts measured on the offline stack.
 *
 * All prices are AWS list prices for US East (N. Virginia), on-demand, without free tiers,
 * savings plans or volume tiers beyond the first. They were read on 2026-12-04 from the pages
 * named beside each constant. AWS renders some of those price tables with JavaScript, so where
 * the stored copy of the AWS page lacked the figure it was checked against a third-party guide
 * quoting it (named in docs/benchmarks.md). Update the constants and PRICES_CHECKED_ON together.
 */

export const PRICES_CHECKED_ON = "2026-12-04";
export const PRICE_REGION = "us-east-1";

/** https://aws.amazon.com/lambda/pricing/ (Arm, first 7.5 billion GB-seconds a month). */
export const LAMBDA_ARM_USD_PER_GB_SECOND = 0.0000133334;
/** https://aws.amazon.com/lambda/pricing/ (the same for x86 and Arm). */
export const LAMBDA_USD_PER_REQUEST = 0.2 / 1_000_000;

/** https://aws.amazon.com/step-functions/pricing/ (Express, per workflow request). */
export const SFN_EXPRESS_USD_PER_REQUEST = 1.0 / 1_000_000;
/** https://aws.amazon.com/step-functions/pricing/ (Express duration, first 1,000 GB-hours). */
export const SFN_EXPRESS_USD_PER_GB_SECOND = 0.00001667;
/** Express duration is rounded up to this many milliseconds per execution. */
export const SFN_EXPRESS_BILLING_INCREMENT_MS = 100;
/** Express memory is billed in chunks of this many MB. */
export const SFN_EXPRESS_MEMORY_CHUNK_MB = 64;
/** https://aws.amazon.com/step-functions/pricing/ (Standard, per state transition). */
export const SFN_STANDARD_USD_PER_TRANSITION = 0.025 / 1000;

/** https://aws.amazon.com/dynamodb/pricing/on-demand/ (standard table class, per WRU). */
export const DYNAMODB_USD_PER_WRITE_REQUEST_UNIT = 0.625 / 1_000_000;
/** https://aws.amazon.com/dynamodb/pricing/on-demand/ (standard table class, per RRU). */
export const DYNAMODB_USD_PER_READ_REQUEST_UNIT = 0.125 / 1_000_000;

/** https://aws.amazon.com/api-gateway/pricing/ (HTTP API, first 300 million a month). */
export const HTTP_API_USD_PER_REQUEST = 1.0 / 1_000_000;
/** HTTP API requests are metered in increments of this many bytes. */
export const HTTP_API_METERING_BYTES = 512 * 1024;

/** https://aws.amazon.com/ses/pricing/ (outbound e-mail, without attachments or data charges). */
export const SES_USD_PER_EMAIL = 0.1 / 1000;

const ORDERS = 1_000_000;

/** Per-order counts measured by the end-to-end phase. */
export interface MeasuredCounts {
  /** HTTP API requests per order, after 512 KB metering. */
  apiRequestsPerOrder: number;
  lambda: readonly {
    functionName: string;
    memoryMb: number;
    invocationsPerOrder: number;
    /** Mean billed duration per invocation: each measured duration rounded up to 1 ms. */
    billedMsPerInvocation: number;
  }[];
  /** Express: mean execution duration, each rounded up to the 100 ms billing increment. */
  expressBilledMsPerExecution: number;
  /** Express billed memory per execution, in MB; see EXPRESS_MEMORY_ESTIMATE_MB. */
  expressBilledMemoryMb: number;
  /** Standard: state transitions per execution, counted from the execution history. */
  stateTransitionsPerExecution: number;
  executionsPerOrder: number;
  readRequestUnitsPerOrder: number;
  writeRequestUnitsPerOrder: number;
  /** The same units split by the function and operation that consume them, per order. */
  dynamodbCallsPerOrder: {
    call: string;
    calls: number;
    readRequestUnits: number;
    writeRequestUnits: number;
  }[];
  emailsPerOrder: number;
}

export interface CostLine {
  item: string;
  quantityPerMillionOrders: number;
  unit: string;
  usdPerMillionOrders: number;
  estimate: boolean;
}

export interface CostModel {
  pricesCheckedOn: string;
  region: string;
  express: { lines: CostLine[]; totalUsdPerMillionOrders: number };
  standard: { lines: CostLine[]; totalUsdPerMillionOrders: number };
  /** The largest line of the Express total. */
  largestExpressLine: string;
  /** The SES line, the same in both totals: the cost of sending one e-mail per order. */
  emailUsdPerMillionOrders: number;
}

/**
 * Express memory is set by the definition, the payload size and Map or Parallel states. The
 * order workflow has none of the latter and payloads of a few KB, so one 64 MB chunk is assumed.
 * NOTE: this is an estimate; AWS reports the real figure in StartSyncExecution's billingDetails.
 */
export const EXPRESS_MEMORY_ESTIMATE_MB = SFN_EXPRESS_MEMORY_CHUNK_MB;

/** Rounds a duration up to Step Functions Express's 100 ms billing increment. */
export function expressBilledMs(durationMs: number): number {
  const increments = Math.max(1, Math.ceil(durationMs / SFN_EXPRESS_BILLING_INCREMENT_MS));
  return increments * SFN_EXPRESS_BILLING_INCREMENT_MS;
}

/** Rounds a Lambda duration up to the 1 ms billing granularity. */
export function lambdaBilledMs(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

/** Number of metered HTTP API requests for one request of the given size. */
export function meteredApiRequests(requestBytes: number): number {
  return Math.max(1, Math.ceil(requestBytes / HTTP_API_METERING_BYTES));
}

export function computeCost(counts: MeasuredCounts): CostModel {
  const shared = sharedLines(counts);

  const expressRequests = counts.executionsPerOrder * ORDERS;
  const expressGbSeconds =
    expressRequests *
    (counts.expressBilledMsPerExecution / 1000) *
    (roundUpToChunk(counts.expressBilledMemoryMb) / 1024);
  const expressLines: CostLine[] = [
    {
      item: "Step Functions Express requests",
      quantityPerMillionOrders: expressRequests,
      unit: "requests",
      usdPerMillionOrders: expressRequests * SFN_EXPRESS_USD_PER_REQUEST,
      estimate: false,
    },
    {
      item: "Step Functions Express duration",
      quantityPerMillionOrders: expressGbSeconds,
      unit: "GB-s",
      usdPerMillionOrders: expressGbSeconds * SFN_EXPRESS_USD_PER_GB_SECOND,
      estimate: true,
    },
    ...shared,
  ];

  const transitions = counts.stateTransitionsPerExecution * counts.executionsPerOrder * ORDERS;
  const standardLines: CostLine[] = [
    {
      item: "Step Functions Standard state transitions",
      quantityPerMillionOrders: transitions,
      unit: "transitions",
      usdPerMillionOrders: transitions * SFN_STANDARD_USD_PER_TRANSITION,
      estimate: false,
    },
    ...shared,
  ];

  const largest = [...expressLines].sort(
    (a, b) => b.usdPerMillionOrders - a.usdPerMillionOrders,
  )[0];

  return {
    pricesCheckedOn: PRICES_CHECKED_ON,
    region: PRICE_REGION,
    express: { lines: expressLines, totalUsdPerMillionOrders: total(expressLines) },
    standard: { lines: standardLines, totalUsdPerMillionOrders: total(standardLines) },
    largestExpressLine: largest?.item ?? "none",
    emailUsdPerMillionOrders: counts.emailsPerOrder * ORDERS * SES_USD_PER_EMAIL,
  };
}

/** Lines that do not depend on the workflow type. */
function sharedLines(counts: MeasuredCounts): CostLine[] {
  const apiRequests = counts.apiRequestsPerOrder * ORDERS;
  const lines: CostLine[] = [
    {
      item: "API Gateway HTTP API requests",
      quantityPerMillionOrders: apiRequests,
      unit: "requests",
      usdPerMillionOrders: apiRequests * HTTP_API_USD_PER_REQUEST,
      estimate: false,
    },
  ];

  let invocations = 0;
  for (const fn of counts.lambda) {
    invocations += fn.invocationsPerOrder * ORDERS;
  }
  lines.push({
    item: "Lambda requests",
    quantityPerMillionOrders: invocations,
    unit: "invocations",
    usdPerMillionOrders: invocations * LAMBDA_USD_PER_REQUEST,
    estimate: false,
  });

  for (const fn of counts.lambda) {
    const gbSeconds =
      fn.invocationsPerOrder * ORDERS * (fn.billedMsPerInvocation / 1000) * (fn.memoryMb / 1024);
    lines.push({
      item: `Lambda ${fn.functionName} duration (${fn.memoryMb} MB, arm64)`,
      quantityPerMillionOrders: gbSeconds,
      unit: "GB-s",
      usdPerMillionOrders: gbSeconds * LAMBDA_ARM_USD_PER_GB_SECOND,
      // Durations are measured on this machine, not on Graviton with a 512 MB CPU share.
      estimate: true,
    });
  }

  const readUnits = counts.readRequestUnitsPerOrder * ORDERS;
  const writeUnits = counts.writeRequestUnitsPerOrder * ORDERS;
  const emails = counts.emailsPerOrder * ORDERS;
  lines.push(
    {
      item: "DynamoDB read request units",
      quantityPerMillionOrders: readUnits,
      unit: "RRU",
      usdPerMillionOrders: readUnits * DYNAMODB_USD_PER_READ_REQUEST_UNIT,
      estimate: false,
    },
    {
      item: "DynamoDB write request units",
      quantityPerMillionOrders: writeUnits,
      unit: "WRU",
      usdPerMillionOrders: writeUnits * DYNAMODB_USD_PER_WRITE_REQUEST_UNIT,
      estimate: false,
    },
    {
      item: "SES e-mails",
      quantityPerMillionOrders: emails,
      unit: "e-mails",
      usdPerMillionOrders: emails * SES_USD_PER_EMAIL,
      estimate: false,
    },
  );
  return lines;
}

function roundUpToChunk(memoryMb: number): number {
  const chunks = Math.max(1, Math.ceil(memoryMb / SFN_EXPRESS_MEMORY_CHUNK_MB));
  return chunks * SFN_EXPRESS_MEMORY_CHUNK_MB;
}

function total(lines: readonly CostLine[]): number {
  let sum = 0;
  for (const line of lines) {
    sum += line.usdPerMillionOrders;
  }
  return sum;
}
