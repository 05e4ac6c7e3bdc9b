import { spawn } from "node:child_process";
import { once } from "node:events";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startDynamoDbLocal } from "../../src/dynamodb/dynamodb-local.ts";

const fixture = fileURLToPath(new URL("../fixtures/start-dynamodb-local.ts", import.meta.url));

/** Tells whether any process of a process group is still running. */
function groupIsAlive(processGroupId: number): boolean {
  try {
    process.kill(-processGroupId, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(processGroupId: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!groupIsAlive(processGroupId)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !groupIsAlive(processGroupId);
}

const originalJavaHome = process.env.JAVA_HOME;

afterEach(() => {
  if (originalJavaHome === undefined) delete process.env.JAVA_HOME;
  else process.env.JAVA_HOME = originalJavaHome;
});

describe("DynamoDB Local process", () => {
  it("accepts requests and stops with its Java process", async () => {
    // Prepare
    const dynamodb = await startDynamoDbLocal();
    const response = await fetch(dynamodb.endpoint);

    // Act
    await dynamodb.stop();

    // Assess
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await waitUntilGone(dynamodb.processGroupId, 5_000)).toBe(true);
  });

  it("dies with a parent killed by SIGKILL", async () => {
    // Prepare
    const parent = spawn(process.execPath, ["--import", "tsx", fixture], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const [line] = (await once(parent.stdout, "data")) as [Buffer];
    const { processGroupId } = JSON.parse(line.toString("utf8")) as { processGroupId: number };
    expect(groupIsAlive(processGroupId)).toBe(true);

    // Act
    parent.kill("SIGKILL");

    // Assess
    expect(await waitUntilGone(processGroupId, 10_000)).toBe(true);
  });

  it("names Java in the error when it is missing", async () => {
    // Prepare
    process.env.JAVA_HOME = "/nonexistent/java-home";

    // Act
    const attempt = startDynamoDbLocal();

    // Assess
    await expect(attempt).rejects.toThrow(/needs Java 17 or later.*JAVA_HOME/s);
  });

  it("reports Java exiting during startup with its output", async () => {
    // Prepare: a java that passes the version check and then fails as a broken install would.
    const javaHome = await mkdtemp(join(tmpdir(), "fake-java-"));
    await mkdir(join(javaHome, "bin"));
    const script = [
      "#!/bin/sh",
      'if [ "$1" = "-version" ]; then echo \'openjdk version "17.0.9"\' >&2; exit 0; fi',
      "echo 'Error: Unable to access jarfile' >&2",
      "exit 1",
    ].join("\n");
    await writeFile(join(javaHome, "bin", "java"), `${script}\n`);
    await chmod(join(javaHome, "bin", "java"), 0o755);
    process.env.JAVA_HOME = javaHome;
    const startedAt = Date.now();

    // Act
    const attempt = startDynamoDbLocal();

    // Assess
    await expect(attempt).rejects.toThrow(/exited during startup.*Unable to access jarfile/s);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    await rm(javaHome, { recursive: true, force: true });
  });
});
