import { createContext } from "../../core/context.ts";
import { callHub } from "../../hub-client/api.ts";
import { ensureHub } from "../../hub-client/hub-start.ts";
import { usageError } from "../../shared/errors.ts";
import { parseFlags } from "../args.ts";
import { printJson, type Output } from "../io.ts";

// `csm web`: a one-time login link to the hub's web dashboard. The link carries only a code
// (2 minutes, once) in its fragment, never the API token; the page trades it for a cookie.
// `--revoke-all` logs every browser out at once.

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags } = parseFlags("web", argv, { open: { type: "boolean" }, json: { type: "boolean" }, "revoke-all": { type: "boolean" } }, { min: 0, max: 0 });
  if (flags["revoke-all"] && flags.open) throw usageError("web: --revoke-all opens nothing; use one or the other");
  const ctx = await createContext();
  try {
    const hub = await ensureHub(ctx);
    if (flags["revoke-all"]) {
      const { ended } = await callHub(hub, "POST /api/web/revoke-all");
      if (flags.json) printJson(io, { ended });
      else io.out(ended === 0 ? "no browser was logged in" : `logged out ${ended} browser session${ended === 1 ? "" : "s"}`);
      return 0;
    }
    const { code, expiresAt, url } = await callHub(hub, "POST /api/web/codes");
    if (flags.json) printJson(io, { url, code, expiresAt });
    else {
      io.out(url);
      io.err(`csm: a one-time link: open it within 2 minutes (until ${expiresAt}); \`csm web --revoke-all\` logs every browser out`);
    }
    if (flags.open) {
      const opener = await browserOpener(ctx);
      if (!opener) io.err("csm: found neither xdg-open nor open to start a browser: open the link yourself");
      else {
        const result = await ctx.host.run([opener, url], { timeoutMs: 10_000 });
        if (result.code !== 0) io.err(`csm: ${opener} failed (exit ${result.code}${result.stderr.trim() ? `: ${result.stderr.trim()}` : ""}): open the link yourself`);
      }
    }
    return 0;
  } finally {
    ctx.close();
  }
}

async function browserOpener(ctx: Awaited<ReturnType<typeof createContext>>): Promise<string | null> {
  for (const command of process.platform === "darwin" ? ["open"] : ["xdg-open", "open"]) {
    if (await ctx.host.which(command)) return command;
  }
  return null;
}
