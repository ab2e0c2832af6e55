import { oneLine, padToWidth, textWidth } from "../shared/printable.ts";

export { formatAge } from "../shared/format-age.ts";

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

