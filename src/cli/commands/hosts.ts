import { loadSettings } from "../../config/load.ts";
import { parseFlags } from "../args.ts";
import { printJson, type Output } from "../io.ts";
import { formatTable } from "../table.ts";

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags } = parseFlags("hosts", argv, { json: { type: "boolean" } }, { min: 0, max: 0 });
  const settings = await loadSettings();
  const hosts = [
    { name: "local", kind: "local", address: "this machine", tmuxSocket: settings.tmuxSocket ?? "default", supported: true },
    ...Object.entries(settings.config.hosts).map(([name, host]) => ({
      name,
      kind: "ssh",
      address: `${host.user ? `${host.user}@` : ""}${host.host}${host.port ? `:${host.port}` : ""}`,
      tmuxSocket: host.env?.CSM_TMUX_SOCKET ?? "default",
      // SSH hosts are configured ahead of the remote support that will use them.
      supported: false,
    })),
  ];
  if (flags.json) printJson(io, hosts);
  else
    io.out(
      formatTable(
        ["HOST", "KIND", "ADDRESS", "TMUX SOCKET", "NOTE"],
        hosts.map((h) => [h.name, h.kind, h.address, h.tmuxSocket, h.supported ? "" : "remote sessions not supported yet"]),
      ),
    );
  return 0;
}
