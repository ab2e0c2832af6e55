import type { Output } from "../io.ts";

// `csm prune`: see gc.ts, which does both.
export const run = async (argv: string[], io: Output): Promise<number> => (await import("./gc.ts")).run(argv, io, "prune");
