import { ERROR_KINDS, type ErrorName } from "./error-kinds.ts";

// Errors a user can meet. Each has a stable name, declared once with its exit code and HTTP
// status (error-kinds.ts), and a one-line message that says what to do next; the CLI prints
// `csm: <message>` and exits with the code. They serialise as {name, message, data} so the
// hub, CLI and TUI print the same words for one failure.

export class CsmError extends Error {
  declare readonly name: ErrorName;
  readonly data: Record<string, unknown>;
  constructor(name: ErrorName, message: string, options: { data?: Record<string, unknown> } = {}) {
    super(message);
    this.name = name;
    this.data = options.data ?? {};
  }
  get exitCode(): number {
    return ERROR_KINDS[this.name].exit;
  }
  get httpStatus(): number {
    return ERROR_KINDS[this.name].http;
  }
  toJSON() {
    return { name: this.name, message: this.message, data: this.data };
  }
}

/** Bad command-line input: exit code 2, nothing touched. */
export const usageError = (message: string, data?: Record<string, unknown>) =>
  new CsmError("UsageError", message, { data });

export const invalidNameError = (kind: string, value: string, why: string) =>
  new CsmError("InvalidName", `invalid ${kind} name ${JSON.stringify(value)}: ${why}`, {
    data: { kind, value },
  });

export const configError = (path: string, field: string, problem: string) =>
  new CsmError("ConfigInvalid", `config ${path}: ${field}: ${problem} (fix the file; csm never rewrites it)`, {
    data: { path, field, problem },
  });

export const notFoundError = (what: string, name: string, hint: string) =>
  new CsmError("NotFound", `no ${what} named ${JSON.stringify(name)}; ${hint}`, { data: { what, name } });

export const toolMissingError = (tool: string, fix: string) =>
  new CsmError("ToolMissing", `${tool} not found: ${fix}`, { data: { tool } });
