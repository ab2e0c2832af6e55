import { createServer, type Server } from "node:net";
import type { SshConnection } from "./ssh-connection.ts";

// A local port forward over the host's one SSH connection: 127.0.0.1:<local> on this
// machine reaches 127.0.0.1:<remotePort> on the host. The local hub talks to a remote
// hub through it, as to any HTTP server. Each connection opens a direct-tcpip channel;
// when the SSH connection drops, open ones end and the next connection makes it anew.

export interface PortForward {
  port: number;
  close(): void;
}

export function forwardPort(connection: SshConnection, remotePort: number): Promise<PortForward> {
  const server: Server = createServer((socket) => {
    socket.pause();
    connection
      .client()
      .then((client) =>
        client.forwardOut("127.0.0.1", 0, "127.0.0.1", remotePort, (error, channel) => {
          if (error) return socket.destroy(error);
          socket.pipe(channel).pipe(socket);
          channel.on("close", () => socket.destroy());
          socket.on("close", () => channel.close());
          socket.resume();
        }),
      )
      .catch((error: Error) => socket.destroy(error));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ port: typeof address === "object" && address ? address.port : 0, close: () => server.close() });
    });
  });
}
