import { UnparseableCommand } from "./bash-command.ts";

// Which `${…}` forms the Bash splitter accepts. A parameter expansion can do far more than
// read a variable: `${y:=…}` assigns, `${y@P}` expands a value as a prompt (running any
// `$(…)` hidden in it), and `${a[…]}` or `${!y}` evaluate a subscript as arithmetic, which
// runs `$(…)` found in variables too. Rather than model all that, only the plain forms are
// read, whose value is data and can never run anything: `${NAME}`, `${1}`, `${@}` and the
// other special parameters. Anything else makes the command asked, with the reason naming
// the construct.

const PLAIN = /^\{(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])\}/;
const NAME = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])/;
const SHOWN_LENGTH = 40;

/** The plain `{…}` that starts `text` (just after a `$`); throws for any other form. */
export function plainParameter(text: string): string {
  const plain = PLAIN.exec(text);
  if (plain) return plain[0];
  const end = text.indexOf("}");
  if (end === -1) throw new UnparseableCommand("unbalanced ${…}");
  const inner = text.slice(1, end);
  const shown = `\${${inner.length > SHOWN_LENGTH ? `${inner.slice(0, SHOWN_LENGTH)}…` : inner}}`;
  throw new UnparseableCommand(`${shown} uses ${parameterOperator(inner)}, which csm does not evaluate (only $NAME and \${NAME} are read)`);
}

function parameterOperator(inner: string): string {
  if (inner.startsWith("!")) return "indirection ${!…}";
  if (inner.startsWith("#") && inner.length > 1) return "a length ${#…}";
  const rest = inner.replace(NAME, "");
  if (rest.startsWith("[")) return "an array subscript, evaluated as arithmetic";
  if (rest.startsWith("@")) return "a transformation such as @P, which can expand its value again";
  if (/^:?[-=?+]/.test(rest)) return "a default, assigned or alternative value";
  if (/^[#%]/.test(rest)) return "pattern removal";
  if (rest.startsWith("/")) return "pattern substitution";
  if (/^[\^,]/.test(rest)) return "case modification";
  if (rest.startsWith(":")) return "a substring";
  return "an operator";
}
