/**
 * `pnpm dev`: runs orderflow on this machine. DynamoDB Local keeps its data under `.local/`, so
 * orders survive a restart; e-mails land as files in `.local/outbox/`; the checkout page is served
 * by Vite. Ctrl-C stops everything, Java included.
 *
 * Environment: `ORDERFLOW_API_PORT` sets the API's port (default 3000); `ORDERFLOW_FUNCTION_LOGS=1`
 * prints every line the functions log, not only warnings and errors.
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import type { ViteDevServer } from "vite";
import type { FunctionName } from "../../../../stacks/manifest.ts";
import { type LocalStack, repositoryRoot, startStack } from "../stack.ts";
import { summariseFunctionLog } from "./function-log.ts";

const defaultApiPort = 3000;
const webDir = join(repositoryRoot, "packages", "web");
const localDir = join(repositoryRoot, ".local");

function log(line: string): void {
  const time = new Date().toISOString().slice(11, 23);
  process.stdout.write(`${time} ${line}\n`);
}

function parseApiPort(value: string | undefined): number {
  if (value === undefined || value === "") return defaultApiPort;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`ORDERFLOW_API_PORT must be a port number from 1 to 65535, got "${value}".`);
  }
  return port;
}

/** Prints warnings and errors a function logs, or every line with ORDERFLOW_FUNCTION_LOGS=1. */
function printFunctionLog(functionName: FunctionName, line: string): void {
  const all = process.env.ORDERFLOW_FUNCTION_LOGS === "1";
  if (all) {
    log(`fn  ${functionName} ${line}`);
  } else if (/\tERROR\t|"level":"(warn|error)"/i.test(line)) {
    log(`fn  ${functionName} ${summariseFunctionLog(line)}`);
  }
}

async function startWeb(apiUrl: string): Promise<ViteDevServer | undefined> {
  const configFile = join(webDir, "vite.config.ts");
  if (!existsSync(configFile)) {
    log(`web page skipped: ${relative(repositoryRoot, configFile)} does not exist`);
    return undefined;
  }

  // Vite exposes VITE_* variables of the process environment to the page.
  process.env.VITE_API_URL = apiUrl;
  const { createServer } = await import("vite");
  const server = await createServer({ configFile, root: webDir, clearScreen: false });
  await server.listen();
  return server;
}

async function main(): Promise<void> {
  const apiPort = parseApiPort(process.env.ORDERFLOW_API_PORT);
  const webOrigin = "http://localhost:5173";
  let stack: LocalStack | undefined;
  let web: ViteDevServer | undefined;
  let stopping: Promise<void> | undefined;

  const shutdown = (reason: string, exitCode: number) => {
    if (stopping !== undefined) {
      log(`${reason} again: exiting now`);
      process.exit(1);
    }
    log(`${reason}: stopping`);
    stopping = (async () => {
      await web?.close().catch((error: unknown) => log(`vite stop failed: ${String(error)}`));
      await stack?.stop();
      log("stopped");
      process.exit(exitCode);
    })();
  };
  process.on("SIGINT", () => shutdown("SIGINT", 0));
  process.on("SIGTERM", () => shutdown("SIGTERM", 0));

  log("starting DynamoDB Local, the emulators and the functions");
  try {
    stack = await startStack({
      dataDir: join(localDir, "dynamodb"),
      outboxDir: join(localDir, "outbox"),
      buildDir: join(localDir, "build"),
      apiPort,
      webOrigin,
      log,
      onFunctionLog: printFunctionLog,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") {
      throw new Error(
        `Port ${apiPort} is already in use. Stop what listens there or set ORDERFLOW_API_PORT to another port.`,
      );
    }
    throw error;
  }
  if (stopping !== undefined) return;

  const apiUrl = `http://localhost:${new URL(stack.apiUrl).port}`;
  try {
    web = await startWeb(apiUrl);
  } catch (error) {
    log(`the web page failed to start: ${error instanceof Error ? error.message : String(error)}`);
    shutdown("web page failed", 1);
    return;
  }
  const webUrl = web?.resolvedUrls?.local[0];

  const rows = [
    ["API", apiUrl],
    ["web page", webUrl ?? "(not started)"],
    ["Step Functions", `${stack.stepFunctionsUrl} (recent executions: open it in a browser)`],
    ["DynamoDB Local", `${stack.dynamodbUrl}, table ${stack.tableName}, data in .local/dynamodb`],
    ["e-mail outbox", relative(repositoryRoot, stack.outboxDir)],
  ];
  process.stdout.write("\norderflow is running:\n");
  for (const [name, where] of rows) process.stdout.write(`  ${name?.padEnd(15)} ${where}\n`);
  process.stdout.write("Press Ctrl-C to stop.\n\n");
}

main().catch((error: unknown) => {
  process.stderr.write(
    `pnpm dev failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
