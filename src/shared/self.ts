import { fileURLToPath } from "node:url";

// How csm starts itself (the agent pane, the detached hub): this very bun running this
// very entry point, whatever PATH says.
const CSM_ENTRY = fileURLToPath(new URL("../../bin/csm", import.meta.url));

export const csmSelfArgv = (...args: string[]) => [process.execPath, CSM_ENTRY, ...args];
