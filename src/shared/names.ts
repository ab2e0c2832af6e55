import { invalidNameError } from "./errors.ts";

// One rule for every name csm puts into tmux targets, branch names, paths and remote
// commands. ASCII only, so lookalike characters cannot impersonate another session.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkName(kind: "session" | "host" | "project" | "tmux socket", value: string): string {
  if (value === "") throw invalidNameError(kind, value, "it is empty");
  if (value.length > 64) throw invalidNameError(kind, value, "it is longer than 64 characters");
  if (!NAME.test(value)) {
    throw invalidNameError(kind, value, "use letters, digits, '.', '_' and '-', starting with a letter or digit");
  }
  if (value.includes("..")) throw invalidNameError(kind, value, "'..' is not allowed");
  if (value.endsWith(".lock") || value.endsWith(".")) {
    throw invalidNameError(kind, value, "it cannot end with '.' or '.lock' (git refuses such branches)");
  }
  return value;
}

export function isValidName(value: string): boolean {
  try {
    checkName("session", value);
    return true;
  } catch {
    return false;
  }
}
