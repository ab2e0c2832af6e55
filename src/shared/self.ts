// How csm starts itself (the agent pane, the detached hub): this very bun running this
// very entry point, whatever PATH says. import.meta.dir, not node:url, which costs ~1 ms
// to load on the path of every `csm list`.
const CSM_ENTRY = `${import.meta.dir.replace(/\/src\/shared$/, "")}/bin/csm`;

export const csmSelfArgv = (...args: string[]) => [process.execPath, CSM_ENTRY, ...args];
