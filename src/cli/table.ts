import { oneLine, padToWidth, textWidth } from "../shared/printable.ts";

// Plain-text tables for the CLI: left-aligned columns, the last one never padded. A cell
// may hold anything (claude's last message, a remote host's answer), so each is made one
// printable line, and columns are measured in terminal cells (CJK and emoji take two).
export function formatTable(header: string[], rows: string[][]): string {
  const cells = rows.map((row) => row.map(oneLine));
  const widths = header.map((title, column) => Math.max(textWidth(title), ...cells.map((row) => textWidth(row[column] ?? ""))));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : padToWidth(cell, widths[column]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...cells.map(line)].join("\n");
}

/** "3m", "2h", "5d": how long ago, in the largest unit that fits. */
export function formatAge(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}
