import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OutboxServer, startOutboxServer } from "./outbox-server.ts";

let outboxDir: string;
let server: OutboxServer;
let client: SESv2Client;

beforeAll(async () => {
  outboxDir = await mkdtemp(join(tmpdir(), "outbox-test-"));
  server = await startOutboxServer({ outboxDir });
  client = new SESv2Client({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await server.close();
  await rm(outboxDir, { recursive: true, force: true });
});

async function readOutbox() {
  const names = (await readdir(outboxDir)).filter((name) => name.endsWith(".json")).sort();
  return Promise.all(
    names.map(async (name) => JSON.parse(await readFile(join(outboxDir, name), "utf8"))),
  );
}

describe("local SESv2 SendEmail", () => {
  it("stores a simple message as a file and returns its id", async () => {
    // Prepare
    const before = (await readOutbox()).length;

    // Act
    const result = await client.send(
      new SendEmailCommand({
        FromEmailAddress: "shop@example.com",
        Destination: { ToAddresses: ["buyer@example.com"] },
        Content: {
          Simple: {
            Subject: { Data: "Order 42 confirmed" },
            Body: { Text: { Data: "Thanks for order 42." }, Html: { Data: "<p>Order 42</p>" } },
          },
        },
      }),
    );

    // Assess
    const messages = await readOutbox();
    expect(messages).toHaveLength(before + 1);
    const stored = messages.find((message) => message.messageId === result.MessageId);
    expect(stored).toMatchObject({
      from: "shop@example.com",
      to: ["buyer@example.com"],
      subject: "Order 42 confirmed",
      text: "Thanks for order 42.",
      html: "<p>Order 42</p>",
    });
  });

  it.each([
    {
      case: "no recipient",
      request: {
        FromEmailAddress: "shop@example.com",
        Destination: { ToAddresses: [] },
        Content: { Simple: { Subject: { Data: "s" }, Body: { Text: { Data: "t" } } } },
      },
      message: /no recipients/,
    },
    {
      case: "an invalid sender",
      request: {
        FromEmailAddress: "not-an-address",
        Destination: { ToAddresses: ["buyer@example.com"] },
        Content: { Simple: { Subject: { Data: "s" }, Body: { Text: { Data: "t" } } } },
      },
      message: /FromEmailAddress/,
    },
    {
      case: "a body without text or HTML",
      request: {
        FromEmailAddress: "shop@example.com",
        Destination: { ToAddresses: ["buyer@example.com"] },
        Content: { Simple: { Subject: { Data: "s" }, Body: {} } },
      },
      message: /Text\.Data or Html\.Data/,
    },
  ])("rejects $case as BadRequestException", async ({ request, message }) => {
    // Act
    const attempt = client.send(new SendEmailCommand(request));

    // Assess
    await expect(attempt).rejects.toMatchObject({
      name: "BadRequestException",
      message: expect.stringMatching(message),
    });
  });
});
