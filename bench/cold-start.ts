import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { functionEnvironment } from "../packages/local/src/environment.ts";
import { resolveHandler } from "../packages/local/src/lambda/build.ts";
import { type FunctionName, functions } from "../stacks/manifest.ts";
import type { ProgressLine } from "./lib/progress.ts";
import { median } from "./lib/stats.ts";

export interface ColdStartResult {
  functionName: FunctionName;
  handler: string;
  bundleBytes: number;
  gzipBytes: number;
  /** Median time of `await import(bundle)` in a fresh Node process, in ms. */
  initMsMedian: number;
  initMsRuns: number[];
  /** The packages that contribute most to the bundle, largest first. */
  largestPackages: PackageShare[];
}

/** Bytes of the minified bundle that come from one package (or from this repository). */
export interface PackageShare {
  name: string;
  bytes: number;
}

export interface ColdStartOptions {
  runs: number;
  repoRoot: string;
  progress: ProgressLine;
}

/**
 * Environment of the measuring process: the function's own environment as the offline stack
 * builds it, with every AWS endpoint on a closed loopback port. Module initialisation must not
 * reach the network, so a handler that calls AWS while loading fails here instead of timing a
 * round trip.
 */
function initEnvironment(functionName: FunctionName): NodeJS.ProcessEnv {
  const closedPort = "http://127.0.0.1:9";
  return {
    PATH: process.env.PATH,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(functions[functionName].memory),
    ...functionEnvironment(functionName, {
      stage: "bench",
      region: "us-east-1",
      tableName: "orderflow-bench-table",
      stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:orderflow-bench",
      emailSender: "orders@example.com",
      endpoints: { dynamodb: closedPort, stepFunctions: closedPort, sesv2: closedPort },
    }),
  };
}

/**
 * Bundles one handler the way SST 4 bundles a Node function for deployment: one ESM file, all
 * dependencies inlined (the AWS SDK included), minified, names kept, and the createRequire
 * banner that lets bundled CommonJS call `require`.
 */
async function bundleHandler(
  repoRoot: string,
  handler: string,
  outfile: string,
): Promise<PackageShare[]> {
  const { file } = resolveHandler(repoRoot, handler);
  const result = await build({
    entryPoints: [file],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    minify: true,
    keepNames: true,
    mainFields: ["module", "main"],
    external: ["sharp", "pg-native"],
    logLevel: "silent",
    metafile: true,
    banner: {
      js: [
        `import { createRequire as topLevelCreateRequire } from "module";`,
        "const require = topLevelCreateRequire(import.meta.url);",
        `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url";`,
        "const __filename = topLevelFileUrlToPath(import.meta.url);",
        `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url));`,
      ].join("\n"),
    },
  });

  const output = Object.values(result.metafile.outputs)[0];
  return largestPackages(output?.inputs ?? {});
}

/**
 * Groups the bytes that each input file contributes to the bundle by package. The path after the
 * last `node_modules/` names the package (`@scope/name` or `name`), and files outside
 * node_modules count as this repository's.
 */
function largestPackages(inputs: Record<string, { bytesInOutput: number }>): PackageShare[] {
  const bytesByPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(inputs)) {
    const marker = path.lastIndexOf("node_modules/");
    let name = "orderflow (this repository)";
    if (marker !== -1) {
      const parts = path.slice(marker + "node_modules/".length).split("/");
      name = parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? "unknown");
    }
    bytesByPackage.set(name, (bytesByPackage.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...bytesByPackage.entries()]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
}

/** Imports the bundle in a new Node process and returns how long the import took, in ms. */
function measureInit(bundle: string, exportName: string, env: NodeJS.ProcessEnv): Promise<number> {
  const script = [
    "const started = performance.now();",
    `const module = await import(${JSON.stringify(pathToFileURL(bundle).href)});`,
    "const elapsed = performance.now() - started;",
    `if (typeof module[${JSON.stringify(exportName)}] !== "function") {`,
    `  throw new Error("the bundle does not export a function named ${exportName}");`,
    "}",
    "process.stdout.write(JSON.stringify({ initMs: elapsed }));",
  ].join("\n");

  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new Error(`initialising ${bundle} failed with exit code ${code}: ${stderr.trim()}`));
        return;
      }
      const parsed = JSON.parse(stdout) as { initMs: number };
      resolvePromise(parsed.initMs);
    });
  });
}

/** Bundles every function of the manifest and measures its size and module initialisation. */
export async function measureColdStarts(options: ColdStartOptions): Promise<ColdStartResult[]> {
  const outDir = await mkdtemp(join(tmpdir(), "orderflow-bench-bundles-"));
  const results: ColdStartResult[] = [];
  const names = Object.keys(functions) as FunctionName[];

  try {
    for (const [index, functionName] of names.entries()) {
      const spec = functions[functionName];
      const outfile = join(outDir, functionName, "index.mjs");
      options.progress.update(`${functionName}: bundling (${index + 1}/${names.length})`);
      const packages = await bundleHandler(options.repoRoot, spec.handler, outfile);

      const code = await readFile(outfile);
      const gzipBytes = gzipSync(code).length;

      const { exportName } = resolveHandler(options.repoRoot, spec.handler);
      const env = initEnvironment(functionName);
      const runs: number[] = [];
      for (let run = 0; run < options.runs; run++) {
        options.progress.update(
          `${functionName}: init run ${run + 1}/${options.runs} (${index + 1}/${names.length})`,
        );
        runs.push(await measureInit(outfile, exportName, env));
      }

      results.push({
        functionName,
        handler: spec.handler,
        bundleBytes: code.length,
        gzipBytes,
        initMsMedian: median(runs),
        initMsRuns: runs,
        largestPackages: packages,
      });
    }
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
  return results;
}
