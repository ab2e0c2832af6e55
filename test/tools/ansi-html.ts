// Turns `tmux capture-pane -e` output (SGR colour escapes) into HTML, for screenshots.

const BASIC = ["#1d1f21", "#e06c75", "#98c379", "#e5c07b", "#61afef", "#c678dd", "#56b6c2", "#dcdfe4"];
const BRIGHT = ["#5c6370", "#ff7a85", "#b5e890", "#ffd68a", "#82c4ff", "#de9bf0", "#7fd4df", "#ffffff"];

function xterm256(n: number): string {
  if (n < 8) return BASIC[n]!;
  if (n < 16) return BRIGHT[n - 8]!;
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const level = (c: number) => (c === 0 ? 0 : 55 + c * 40);
  return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}

interface Style {
  fg: string | null;
  bg: string | null;
  bold: boolean;
  dim: boolean;
  inverse: boolean;
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function ansiToHtml(text: string): string {
  let style: Style = { fg: null, bg: null, bold: false, dim: false, inverse: false };
  let html = "";
  for (const part of text.split(/(\x1b\[[0-9;]*m)/)) {
    const sgr = /^\x1b\[([0-9;]*)m$/.exec(part);
    if (!sgr) {
      if (part === "") continue;
      const fg = style.inverse ? (style.bg ?? "#1d1f21") : style.fg;
      const bg = style.inverse ? (style.fg ?? "#dcdfe4") : style.bg;
      const css = [fg && `color:${fg}`, bg && `background:${bg}`, style.bold && "font-weight:bold", style.dim && "opacity:0.6"].filter(Boolean).join(";");
      html += css ? `<span style="${css}">${escapeHtml(part)}</span>` : escapeHtml(part);
      continue;
    }
    const codes = (sgr[1] || "0").split(";").map(Number);
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i]!;
      if (code === 0) style = { fg: null, bg: null, bold: false, dim: false, inverse: false };
      else if (code === 1) style.bold = true;
      else if (code === 2) style.dim = true;
      else if (code === 22) style.bold = style.dim = false;
      else if (code === 7) style.inverse = true;
      else if (code === 27) style.inverse = false;
      else if (code >= 30 && code <= 37) style.fg = BASIC[code - 30]!;
      else if (code >= 90 && code <= 97) style.fg = BRIGHT[code - 90]!;
      else if (code === 39) style.fg = null;
      else if (code >= 40 && code <= 47) style.bg = BASIC[code - 40]!;
      else if (code === 49) style.bg = null;
      else if ((code === 38 || code === 48) && codes[i + 1] === 5) {
        const colour = xterm256(codes[i + 2]!);
        if (code === 38) style.fg = colour;
        else style.bg = colour;
        i += 2;
      }
    }
  }
  return html;
}
