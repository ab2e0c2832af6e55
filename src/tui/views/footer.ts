import type { TuiModel } from "../model.ts";
import { keysLabel } from "../keys/bindings.ts";
import { keysFor, type ApplicableKey } from "../keys/keys-for.ts";
import { esc, paint, styled, truncate, visibleWidth } from "./markup.ts";

// The keys that apply now, from the same tables that drive the handlers. Enabled keys
// come first; a disabled one is dimmed with the reason ("i interrupt: claude is idle").
// What does not fit is left out, except help, which is always last.

const SEPARATOR = "  ";

function item(applicable: ApplicableKey): string {
  const { binding, enabled, reason } = applicable;
  const keys = binding.footerKeys ?? keysLabel({ ...binding, keys: binding.keys.slice(0, 1) });
  return enabled ? `${styled("bold", esc(keys))} ${esc(binding.label)}` : paint("gray", `${keys} ${binding.label}: ${reason}`);
}

export function footerView(model: TuiModel, width: number, maxLines = 1): string[] {
  const shown = keysFor(model).filter((applicable) => applicable.binding.footer !== false);
  const isHelp = (applicable: ApplicableKey) => applicable.binding.action === "help";
  const pinned = shown.filter(isHelp).map(item);
  const pinnedWidth = pinned.reduce((sum, text) => sum + visibleWidth(text) + SEPARATOR.length, 0);
  const rest = [...shown.filter((a) => a.enabled && !isHelp(a)), ...shown.filter((a) => !a.enabled && !isHelp(a))].map(item);
  const lines: string[] = [];
  let line = "";
  for (const text of rest) {
    for (;;) {
      const last = lines.length >= maxLines - 1;
      const candidate = line === "" ? text : line + SEPARATOR + text;
      if (visibleWidth(candidate) <= width - (last ? pinnedWidth : 0)) {
        line = candidate;
        break;
      }
      // Too long for this line: try the next one, or leave it out on the last.
      if (last || line === "") break;
      lines.push(line);
      line = "";
    }
  }
  lines.push([line, ...pinned].filter((part) => part !== "").join(SEPARATOR));
  return lines.map((l) => truncate(l, width));
}
