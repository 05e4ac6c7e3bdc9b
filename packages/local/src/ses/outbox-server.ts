import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import { listen } from "../listen.ts";

/** SES's limit on a message, including attachments, in bytes. */
const maxMessageBytes = 40 * 1024 * 1024;
const sendEmailPath = "/v2/email/outbound-emails";

/** One e-mail accepted by the local SESv2 endpoint, as stored in the outbox. */
export interface OutboxMessage {
  messageId: string;
  receivedAt: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  text?: string;
  html?: string;
  /** The decoded MIME message, for `Content.Raw` requests. */
  raw?: string;
  configurationSetName?: string;
  tags: Array<{ Name: string; Value: string }>;
}

export interface OutboxServerOptions {
  outboxDir: string;
  host?: string;
  port?: number;
  onRequest?: (entry: { path: string; status: number; durationMs: number }) => void;
}

export interface OutboxServer {
  url: string;
  outboxDir: string;
  close(): Promise<void>;
}

class BadRequest extends Error {
  override readonly name = "BadRequestException";
}

/**
 * Serves SESv2's SendEmail (`POST /v2/email/outbound-emails`) on loopback and keeps each message
 * as a JSON file in the outbox directory, named so that the files sort by arrival.
 */
export async function startOutboxServer(options: OutboxServerOptions): Promise<OutboxServer> {
  await mkdir(options.outboxDir, { recursive: true });

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const startedAt = performance.now();
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    let status = 200;
    try {
      if (request.method !== "POST" || path !== sendEmailPath) {
        status = 404;
        sendJson(
          response,
          404,
          { message: `No SESv2 operation at ${request.method} ${path}; only SendEmail is served.` },
          "NotFoundException",
        );
      } else {
        const message = parseSendEmail(await readJson(request));
        await store(options.outboxDir, message);
        sendJson(response, 200, { MessageId: message.messageId });
      }
    } catch (error) {
      if (error instanceof BadRequest) {
        status = 400;
        sendJson(response, 400, { message: error.message }, error.name);
      } else {
        status = 500;
        const detail = error instanceof Error ? error.message : String(error);
        sendJson(
          response,
          500,
          { message: `The local outbox failed: ${detail}` },
          "InternalFailure",
        );
      }
    }
    options.onRequest?.({ path, status, durationMs: performance.now() - startedAt });
  });

  const listening = await listen(server, options.port ?? 0, options.host ?? "127.0.0.1");
  return { ...listening, outboxDir: options.outboxDir };
}

function parseSendEmail(body: unknown): OutboxMessage {
  const request = asObject(body, "request body");
  const content = asObject(request.Content, "Content");
  const destination =
    request.Destination === undefined ? {} : asObject(request.Destination, "Destination");

  const to = addressList(destination.ToAddresses, "Destination.ToAddresses");
  const cc = addressList(destination.CcAddresses, "Destination.CcAddresses");
  const bcc = addressList(destination.BccAddresses, "Destination.BccAddresses");
  const replyTo = addressList(request.ReplyToAddresses, "ReplyToAddresses");
  const tags = (request.EmailTags as OutboxMessage["tags"] | undefined) ?? [];

  const message: OutboxMessage = {
    messageId: `${Date.now().toString(16).padStart(16, "0")}-${randomUUID()}-000000`,
    receivedAt: new Date().toISOString(),
    from: "",
    to,
    cc,
    bcc,
    replyTo,
    subject: "",
    tags,
  };
  if (typeof request.ConfigurationSetName === "string") {
    message.configurationSetName = request.ConfigurationSetName;
  }

  if (content.Raw !== undefined) {
    const raw = asObject(content.Raw, "Content.Raw");
    if (typeof raw.Data !== "string") throw new BadRequest("Content.Raw.Data is missing.");
    message.raw = Buffer.from(raw.Data, "base64").toString("utf8");
    message.from = typeof request.FromEmailAddress === "string" ? request.FromEmailAddress : "";
    return message;
  }

  if (content.Simple === undefined) {
    throw new BadRequest(
      "Content.Simple is missing; the local outbox accepts Simple and Raw content.",
    );
  }
  if (typeof request.FromEmailAddress !== "string" || !isEmailAddress(request.FromEmailAddress)) {
    throw new BadRequest(
      `FromEmailAddress is missing or invalid: ${JSON.stringify(request.FromEmailAddress ?? null)}.`,
    );
  }
  if (to.length + cc.length + bcc.length === 0) {
    throw new BadRequest(
      "Destination has no recipients: set ToAddresses, CcAddresses or BccAddresses.",
    );
  }

  const simple = asObject(content.Simple, "Content.Simple");
  const subject = asObject(simple.Subject, "Content.Simple.Subject");
  const bodyParts = asObject(simple.Body, "Content.Simple.Body");
  if (typeof subject.Data !== "string")
    throw new BadRequest("Content.Simple.Subject.Data is missing.");
  const text =
    bodyParts.Text === undefined
      ? undefined
      : asObject(bodyParts.Text, "Content.Simple.Body.Text").Data;
  const html =
    bodyParts.Html === undefined
      ? undefined
      : asObject(bodyParts.Html, "Content.Simple.Body.Html").Data;
  if (typeof text !== "string" && typeof html !== "string") {
    throw new BadRequest("Content.Simple.Body needs Text.Data or Html.Data.");
  }

  message.from = request.FromEmailAddress;
  message.subject = subject.Data;
  if (typeof text === "string") message.text = text;
  if (typeof html === "string") message.html = html;

  const size = Buffer.byteLength(JSON.stringify(message), "utf8");
  if (size > maxMessageBytes) {
    throw new BadRequest(`The message is ${size} bytes, more than SES's ${maxMessageBytes}.`);
  }
  return message;
}

async function store(outboxDir: string, message: OutboxMessage): Promise<void> {
  const stamp = message.receivedAt.replaceAll(":", "-");
  const name = `${stamp}-${message.messageId}.json`;
  const temporary = join(outboxDir, `.${name}.${randomBytes(4).toString("hex")}.tmp`);

  // Written under a hidden name first, so a reader never sees half a message.
  await writeFile(temporary, `${JSON.stringify(message, null, 2)}\n`, "utf8");
  await rename(temporary, join(outboxDir, name));
}

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new BadRequest(`${field} is missing or not an object.`);
  }
  return value as Record<string, unknown>;
}

function addressList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new BadRequest(`${field} must be a list of e-mail addresses.`);
  value.forEach((address, index) => {
    if (typeof address !== "string" || !isEmailAddress(address)) {
      throw new BadRequest(`${field}.${index} is not a valid e-mail address.`);
    }
  });
  return value as string[];
}

/** Accepts `local@domain` and `Display Name <local@domain>`, as SES does. */
function isEmailAddress(value: string): boolean {
  const address = /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value;
  return /^[^\s@]+@[^\s@]+$/.test(address.trim());
}

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxMessageBytes * 2) {
        reject(new BadRequest(`The request body is larger than ${maxMessageBytes * 2} bytes.`));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        reject(new BadRequest("The request body is not valid JSON."));
      }
    });
    request.on("error", reject);
  });
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  errorType?: string,
): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
  };
  if (errorType !== undefined) headers["x-amzn-errortype"] = errorType;
  response.writeHead(status, headers);
  response.end(text);
}
