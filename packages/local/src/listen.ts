/** Starting and stopping the HTTP servers of the offline stack. */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A server that listens, with its URL and a way to stop it. */
export interface ListeningServer {
  /** `http://<address>:<port>`, with an IPv6 address in brackets. */
  url: string;
  /** Stops accepting connections, closes the open ones and resolves once the server is closed. */
  close(): Promise<void>;
}

/** Starts `server` on `host` and `port` (0 picks a free port) and resolves once it listens. */
export async function listen(server: Server, port: number, host: string): Promise<ListeningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
