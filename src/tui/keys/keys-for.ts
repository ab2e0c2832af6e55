import type { TuiModel } from "../model.ts";
import type { ActionName, KeyBinding } from "./bindings.ts";
import { TABLES_BY_MODE, TEXT_MODES } from "./tables.ts";

// Which bindings apply to the model as it is now: for the footer, and to turn a key press
// into an action. Both read the same tables the help screen lists.

export interface ApplicableKey {
  binding: KeyBinding;
  enabled: boolean;
  /** Why it is disabled now; null when enabled. */
  reason: string | null;
}

/** The bindings of the current mode that apply now (enabled or with the reason they are not). */
export function keysFor(model: TuiModel): ApplicableKey[] {
  const seen = new Set<string>();
  const out: ApplicableKey[] = [];
  for (const table of TABLES_BY_MODE[model.mode]) {
    for (const binding of table.bindings) {
      const availability = binding.when(model);
      if (availability === false) continue;
      // A key bound in a more specific table hides the same key further down.
      const keys = binding.keys.filter((key) => !seen.has(key));
      if (keys.length === 0) continue;
      keys.forEach((key) => seen.add(key));
      out.push({ binding: keys.length === binding.keys.length ? binding : { ...binding, keys }, enabled: availability === true, reason: availability === true ? null : availability });
    }
  }
  return out;
}

export type KeyResolution = { action: ActionName } | { disabled: string; action: ActionName } | null;

/**
 * What a key press (blessed's `key.full`) does now: an action, a disabled action and why,
 * or nothing. In a text mode, a printable key that resolves to nothing is typed instead.
 */
export function resolveKey(model: TuiModel, key: string): KeyResolution {
  const match = keysFor(model).find((applicable) => applicable.binding.keys.includes(key));
  if (!match) return null;
  return match.enabled ? { action: match.binding.action } : { disabled: match.reason!, action: match.binding.action };
}

export const acceptsText = (model: TuiModel): boolean => TEXT_MODES.has(model.mode);
