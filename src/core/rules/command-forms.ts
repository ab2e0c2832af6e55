import { assignedName, type BashWord } from "./bash-command.ts";
import { partWords } from "./bash-split.ts";
import { gitSubcommandIndex } from "./git-runners.ts";

// The spellings of one Bash part that a deny or ask rule is matched against besides the
// part as written. `rm *` is meant for rm however the command is spelt: after variable
// assignments (`X=1 rm`), input redirections (`<f rm`), by its path (`/bin/rm`), with
// quoted words (`git 'push'`), git's own options before the subcommand (`git -C . push`),
// or behind a program that runs the rest of the line (`env rm`, `sudo rm`, `nohup rm`).
// Allow rules match the part as written only: a spelling csm reads differently from bash
// must never widen what is allowed, while deny may only ever catch more.

/** Programs that run the rest of their line; per program, its short options that take a value, and the operands before the command. */
const WRAPPERS: Record<string, { valued: string; operands?: number; assignments?: boolean; input?: boolean }> = {
  command: { valued: "" },
  builtin: { valued: "" },
  exec: { valued: "a" },
  nohup: { valued: "" },
  time: { valued: "" },
  setsid: { valued: "" },
  env: { valued: "uCS", assignments: true },
  nice: { valued: "n" },
  ionice: { valued: "cnp" },
  stdbuf: { valued: "ioe" },
  sudo: { valued: "ugCDhprtTU", assignments: true },
  doas: { valued: "uC" },
  timeout: { valued: "sk", operands: 1 },
  xargs: { valued: "aIdELnPs", input: true },
};
const MAX_WRAPPERS = 8;

/** Every spelling of `part` a deny or ask rule is matched against, the part as written first. */
export function commandForms(part: string): string[] {
  const words = partWords(part);
  if (!words) return [part];
  const forms = new Set([part]);
  const named = words.findIndex((word) => assignedName(word) === null);
  if (named === -1) return [part];
  let rest = words.slice(named);
  // After xargs, the command also gets the words read from its input.
  let more: string[] = [];
  for (let peeled = 0; rest.length > 0 && peeled <= MAX_WRAPPERS; peeled++) {
    const name = programName(rest[0]!);
    const args = [...rest.slice(1).map(valueOf), ...more];
    const sub = name === "git" ? gitSubcommandIndex(args.map((value) => ({ value }))) : null;
    forms.add([name, ...args].join(" "));
    if (sub !== null && sub > 0) forms.add(["git", ...args.slice(sub)].join(" "));
    const wrapper = WRAPPERS[name];
    if (!wrapper) break;
    if (wrapper.input) more = ["…"];
    rest = afterWrapper(rest.slice(1), wrapper);
  }
  return [...forms];
}

/** The last path segment of a command name when its value is known: `/bin/rm` runs rm. */
function programName(word: BashWord): string {
  const value = valueOf(word);
  return value.includes("/") ? value.slice(value.lastIndexOf("/") + 1) : value;
}

/** A word's value when it is known, else as written. */
const valueOf = (word: BashWord) => (word.dynamic || word.pattern ? word.text : word.literal);

/** The words after a wrapper's own options, assignments and operands: the command it runs. */
function afterWrapper(words: BashWord[], wrapper: (typeof WRAPPERS)[string]): BashWord[] {
  let i = 0;
  let operands = wrapper.operands ?? 0;
  for (; i < words.length; i++) {
    const value = valueOf(words[i]!);
    if (value === "--") return words.slice(i + 1);
    if (value.startsWith("-") && value.length > 1) {
      // `-n 10` takes the next word; `-n10` and `--name=value` carry their value.
      if (!value.startsWith("--") && value.length === 2 && wrapper.valued.includes(value[1]!)) i++;
      continue;
    }
    if (wrapper.assignments && assignedName(words[i]!) !== null) continue;
    if (operands > 0) {
      operands--;
      continue;
    }
    break;
  }
  return words.slice(i);
}
