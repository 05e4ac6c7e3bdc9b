import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type {
  ExecutionRecord,
  InvocationRecord,
  StackMessage,
  StackRequest,
} from "../stack-process.ts";

type Ready = Extract<StackMessage, { type: "ready" }>;

const startTimeoutMs = 180_000;
const replyTimeoutMs = 30_000;

/** The offline stack running in a child process, and the requests the benchmark sends it. */
export class StackClient {
  readonly info: Omit<Ready, "type">;
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess, info: Omit<Ready, "type">) {
    this.#child = child;
    this.info = info;
  }

  /** The stack process's id; DynamoDB Local's JVM runs under it. */
  get pid(): number {
    return this.#child.pid ?? 0;
  }

  /** Forks bench/stack-process.ts with tsx and waits until the stack is ready. */
  static async start(outboxDir: string): Promise<StackClient> {
    const script = fileURLToPath(new URL("../stack-process.ts", import.meta.url));
    const child = fork(script, [], {
      execArgv: ["--import", import.meta.resolve("tsx")],
      env: { ...process.env, ORDERFLOW_BENCH_OUTBOX: outboxDir },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });

    const ready = await new Promise<Ready>((resolveReady, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGTERM");
        reject(new Error(`the offline stack did not start within ${startTimeoutMs / 1000} s`));
      }, startTimeoutMs);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the offline stack process exited during startup with code ${code}`));
      });
      child.once("message", (message: StackMessage) => {
        clearTimeout(timer);
        if (message.type === "ready") {
          resolveReady(message);
          return;
        }
        const detail =
          message.type === "failed"
            ? `${message.message}\n${message.log.join("\n")}`
            : message.type;
        reject(new Error(`the offline stack failed to start: ${detail}`));
      });
    });

    const { type: _type, ...info } = ready;
    return new StackClient(child, info);
  }

  /** Returns the invocations recorded since the last call and starts a new record. */
  async takeInvocations(): Promise<InvocationRecord[]> {
    const reply = await this.#request({ type: "take-invocations" }, "invocations");
    return reply.records;
  }

  async describeExecutions(executionNames: string[]): Promise<ExecutionRecord[]> {
    const reply = await this.#request(
      { type: "describe-executions", executionNames },
      "executions",
    );
    return reply.records;
  }

  /**
   * Waits until no Lambda invocation is running, at most `maxSeconds`, so invocations left over
   * from timed-out requests do not run into the next phase. Returns whether the stack settled.
   */
  async settle(maxSeconds: number): Promise<boolean> {
    const deadline = Date.now() + maxSeconds * 1000;
    while (Date.now() < deadline) {
      const reply = await this.#request({ type: "in-flight" }, "in-flight");
      if (reply.invocations === 0) return true;
      await new Promise((done) => setTimeout(done, 250));
    }
    return false;
  }

  /** The stack's last log lines and function output, for error reports. */
  async recentLog(): Promise<string[]> {
    const reply = await this.#request({ type: "recent-log" }, "log");
    return reply.lines;
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise<void>((done) => this.#child.once("exit", () => done()));
    this.#child.send({ type: "stop" } satisfies StackRequest);
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  }

  #request<Type extends StackMessage["type"]>(
    request: StackRequest,
    replyType: Type,
  ): Promise<Extract<StackMessage, { type: Type }>> {
    return new Promise((resolveReply, reject) => {
      const timer = setTimeout(() => {
        this.#child.off("message", onMessage);
        reject(new Error(`the offline stack did not respond to ${request.type} within 30 s`));
      }, replyTimeoutMs);
      const onMessage = (message: StackMessage) => {
        if (message.type !== replyType) return;
        clearTimeout(timer);
        this.#child.off("message", onMessage);
        resolveReply(message as Extract<StackMessage, { type: Type }>);
      };
      this.#child.on("message", onMessage);
      this.#child.send(request);
    });
  }
}
