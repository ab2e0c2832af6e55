import { createContext } from "../../core/context.ts";
import { ensureHub } from "../../hub-client/hub-start.ts";
import type { HubEvent as PublishedEvent } from "../../core/live/hub-event.ts";
import { sessionPath } from "../../hub-client/client.ts";
import { readEventStream } from "../../hub-client/sse-reader.ts";
import { renderClaudeMessage, renderDecision, renderLinkEvent, renderSent, colours, plain } from "../../link/render.ts";
import type { ClaudeToCsm } from "../../link/protocol.ts";
import { notFoundError } from "../../shared/errors.ts";
import { checkName } from "../../shared/names.ts";
import { EventStore } from "../../store/events.ts";
import { parseFlags } from "../args.ts";
import { jsonText, type Output } from "../io.ts";

// `csm logs NAME`: the session's event log from the store (no hub needed); --follow
// continues live from the hub's event stream, from exactly where the store left off.
export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags(
    "logs",
    argv,
    { follow: { type: "boolean", short: "f" }, json: { type: "boolean" }, tail: { type: "string" } },
    { min: 1, max: 1 },
  );
  const name = checkName("session", positionals[0]!);
  const ctx = await createContext();
  const host = ctx.host.hostName;
  if (!ctx.sessions().get(host, name)) throw notFoundError("session", name, "see `csm list`");
  const palette = process.env.NO_COLOR || !process.stdout.isTTY ? plain : colours;
  const print = (event: PublishedEvent) => {
    if (flags.json) return io.out(jsonText(event));
    const time = event.at.slice(11, 19);
    const lines =
      event.kind === "claude"
        ? renderClaudeMessage(event.data as ClaudeToCsm, palette)
        : event.kind === "sent"
          ? renderSent(event.data as never, palette)
          : event.kind === "link"
            ? renderLinkEvent(event.data as never, palette)
            : event.kind === "decision"
              ? renderDecision(event.data as never, palette)
              : [palette.dim(`[${event.kind}]`)];
    for (const line of lines) io.out(`${palette.dim(time)} ${line}`);
  };
  const events = new EventStore(ctx.database());
  const backlog = flags.tail ? events.tail(host, name, Number(flags.tail) || 50) : events.after(host, name, 0, 1_000_000);
  for (const event of backlog) print(event);
  if (!flags.follow) return 0;

  const hub = await ensureHub(ctx);
  const after = backlog.at(-1)?.seq ?? 0;
  const response = await hub.stream(sessionPath(host, name, "/stream"), { "last-event-id": String(after) });
  if (!response.ok || !response.body) throw notFoundError("event stream for", name, `the hub answered ${response.status}`);
  await readEventStream(response.body, (event) => {
    if (event.seq !== null) print(event);
    void io.flush();
  });
  return 0;
}
