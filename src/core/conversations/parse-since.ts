/** `7d`, `12h`, `30m`, `2w`, or a date/time: the ISO time it names, or null when it is neither. */
export function parseSince(text: string, now = Date.now()): string | null {
  const relative = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[relative[2] as "m" | "h" | "d" | "w"];
    return new Date(now - Number(relative[1]) * unit).toISOString();
  }
  if (!/^\d{4}-\d\d-\d\d/.test(text.trim())) return null;
  const at = Date.parse(text.trim());
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}
