import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";

const webRoot = fileURLToPath(new URL("../../..", import.meta.url));

export interface CheckoutPageServer {
  /** Origin of the page, such as `http://127.0.0.1:41234`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Builds the checkout page for production with `apiUrl` fixed in, as the static site is built,
 * and serves the build with `vite preview` on a free loopback port.
 */
export async function startCheckoutPage(apiUrl: string): Promise<CheckoutPageServer> {
  const outDir = await mkdtemp(join(tmpdir(), "orderflow-web-"));
  const configFile = join(webRoot, "vite.config.ts");

  const previous = process.env.VITE_API_URL;
  process.env.VITE_API_URL = apiUrl;
  try {
    await build({ configFile, root: webRoot, logLevel: "warn", build: { outDir } });
  } finally {
    if (previous === undefined) delete process.env.VITE_API_URL;
    else process.env.VITE_API_URL = previous;
  }

  const server = await preview({
    configFile,
    root: webRoot,
    logLevel: "warn",
    build: { outDir },
    preview: { host: "127.0.0.1", port: 0, strictPort: false, open: false },
  });
  const address = server.httpServer.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
