import { oneLine, truncateToWidth } from "../../shared/printable.ts";

// What the dashboard writes to its terminal to call a person: a bell, and a desktop
// notification where the terminal shows one. OSC 777 (`notify;TITLE;BODY`) is the VTE
// and rxvt/foot form; OSC 9 (`9;TEXT`) is iTerm2's, also read by kitty, WezTerm, Ghostty
// and Windows Terminal. Inside tmux the sequence is wrapped for passthrough (tmux
// `allow-passthrough on`), or tmux drops it; the bell goes through tmux anyway.
//
// The text is a session's name and claude's words: it is made printable (no ESC, no BEL,
// no C1 that could end the OSC and start another sequence), without `;` (777's field
// separator), and short.

export interface TerminalEnv {
  TERM?: string;
  TMUX?: string;
  VTE_VERSION?: string;
}

const BEL = "\x07";
const ESC = "\x1b";
const MAX_CELLS = 160;

export const oscText = (text: string) => truncateToWidth(oneLine(text).replaceAll(";", ","), MAX_CELLS);

export function terminalAlert(title: string, body: string, env: TerminalEnv): string {
  const vteLike = Boolean(env.VTE_VERSION) || /^(rxvt|foot)/.test(env.TERM ?? "");
  const osc = vteLike ? `${ESC}]777;notify;${oscText(title)};${oscText(body)}${BEL}` : `${ESC}]9;${oscText(`${title}: ${body}`)}${BEL}`;
  // tmux passthrough: DCS tmux; with every ESC inside doubled, ended by ST.
  const wrapped = env.TMUX ? `${ESC}Ptmux;${osc.replaceAll(ESC, ESC + ESC)}${ESC}\\` : osc;
  return BEL + wrapped;
}
