import type { PortRange } from "../../config/schema.ts";
import { CsmError } from "../../shared/errors.ts";

// Every session gets 10 ports of its own, CSM_PORT_BASE … CSM_PORT_BASE+9, so dev servers
// started in two sessions of one repository do not fight over :3000. The block is stored
// with the session's record (store/sessions.ts) and freed when the record goes, at kill.

export const PORT_BLOCK_SIZE = 10;
export const DEFAULT_PORT_RANGE: PortRange = { from: 20000, to: 29999 };
export const PORT_BASE_VARIABLE = "CSM_PORT_BASE";

/** The lowest block in `range` that no base in `used` overlaps, or null when all are taken. */
export function firstFreeBlock(range: PortRange, used: readonly number[]): number | null {
  const taken = new Set(used);
  // A block from an older, different range could overlap a block of this one: keep clear of it.
  const overlaps = (base: number) => used.some((other) => other !== base && Math.abs(other - base) < PORT_BLOCK_SIZE);
  for (let base = range.from; base + PORT_BLOCK_SIZE - 1 <= range.to; base += PORT_BLOCK_SIZE) {
    if (!taken.has(base) && !overlaps(base)) return base;
  }
  return null;
}

export const portsExhaustedError = (range: PortRange) =>
  new CsmError(
    "PortsExhausted",
    `every block of ${PORT_BLOCK_SIZE} ports in portRange ${range.from}-${range.to} belongs to a session (a dead one keeps its block until it is killed); kill one or widen portRange in the config`,
    { data: { ...range } },
  );

/** The variables a session's processes get for its block (none for a session without one). */
export function portEnvironment(portBase: number | null | undefined): Record<string, string> {
  return portBase == null ? {} : { [PORT_BASE_VARIABLE]: String(portBase) };
}
