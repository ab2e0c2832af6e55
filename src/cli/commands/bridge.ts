import { LocalHost } from "../../host/local.ts";
import { runBridge } from "../../link/bridge.ts";
import { colours, plain } from "../../link/render.ts";
import type { Output } from "../io.ts";
import { recordExit, takeLaunchSpec } from "./agent-spec.ts";

// What a bridge session's agent window runs: `csm bridge NAME`.
export async function run(argv: string[], io: Output): Promise<number> {
  if (!argv[0]) {
    io.err("csm: bridge needs a session name");
    return 2;
  }
  const spec = await takeLaunchSpec(argv[0]);
  const host = new LocalHost();
  const status = await runBridge(spec, {
    spawnClaude: (s) => host.spawnPiped(s.argv, { cwd: s.cwd, env: s.env }),
    connect(url, secret, handlers) {
      const socket = new WebSocket(url, { headers: { authorization: `Bearer ${secret}` } } as unknown as string[]);
      socket.onopen = () => handlers.open();
      socket.onmessage = (event) => handlers.message(typeof event.data === "string" ? event.data : new TextDecoder().decode(event.data as ArrayBuffer));
      socket.onclose = () => handlers.close();
      socket.onerror = () => {};
      return { send: (text) => socket.send(text), close: () => socket.close(1000) };
    },
    print: (line) => io.out(line),
    typed: process.stdin.isTTY ? (console as unknown as AsyncIterable<string>) : null,
    palette: process.env.NO_COLOR ? plain : colours,
    sleep: (ms) => Bun.sleep(ms),
  });
  await recordExit(spec, status);
  // Reading the pane's terminal would keep this process alive; the pane must end with claude.
  await io.flush();
  process.exit(status);
}
