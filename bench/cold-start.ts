import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
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
}

export interface ColdStartOptions {
  runs: number;
  repoRoot: string;
  progress: ProgressLine;
}

/**
 * Environment of the measuring process. Module initialisation must not reach the network, so
 * every AWS endpoint points at a closed loopback port: a handler that calls AWS while loading
 * fails loudly here instead of timing a real round trip.
 */
function initEnvironment(functionName: FunctionName): NodeJS.ProcessEnv {
  const spec = functions[functionName];
  const closedPort = "http://127.0.0.1:9";
  const links: Record<string, unknown> = {
    Table: { name: "orderflow-bench-table", type: "sst.aws.Dynamo" },
    OrderWorkflow: {
      name: "orderflow-bench-workflow",
      arn: "arn:aws:states:us-east-1:000000000000:stateMachine:orderflow-bench-workflow",
      type: "sst.aws.StepFunctions",
    },
    Email: { sender: "orders@example.com", configSet: "orderflow-bench", type: "sst.aws.Email" },
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memory),
    AWS_ENDPOINT_URL_DYNAMODB: closedPort,
    AWS_ENDPOINT_URL_SFN: closedPort,
    AWS_ENDPOINT_URL_SESV2: closedPort,
    SST_RESOURCE_App: JSON.stringify({ name: "orderflow", stage: "bench" }),
  };
  for (const name of spec.link) {
    env[`SST_RESOURCE_${name}`] = JSON.stringify(links[name]);
  }
  return env;
}

/** Splits SST's `path/file.export` handler string into the source file and the export name. */
function handlerEntry(repoRoot: string, handler: string): { file: string; exportName: string } {
  const dot = handler.lastIndexOf(".");
  return {
    file: resolve(repoRoot, `${handler.slice(0, dot)}.ts`),
    exportName: handler.slice(dot + 1),
  };
}

/**
 * Bundles one handler the way SST 4 bundles a Node function for deployment: one ESM file, all
 * dependencies inlined (the AWS SDK included), minified, names kept, and the createRequire
 * banner that lets bundled CommonJS call `require`.
 */
async function bundleHandler(repoRoot: string, handler: string, outfile: string): Promise<void> {
  const { file } = handlerEntry(repoRoot, handler);
  await build({
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
      await bundleHandler(options.repoRoot, spec.handler, outfile);

      const code = await readFile(outfile);
      const gzipBytes = gzipSync(code).length;

      const { exportName } = handlerEntry(options.repoRoot, spec.handler);
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
      });
    }
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
  return results;
}
