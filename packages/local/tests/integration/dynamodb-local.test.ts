import { spawn } from "node:child_process";
import { once } from "node:events";
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
});
