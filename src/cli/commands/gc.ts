import type { Output } from "../io.ts";
import { runTidy } from "../tidy-command.ts";

// `csm gc`: husk conversations, listed, moved to the trash with --apply (see tidy-command.ts).
export const run = (argv: string[], io: Output): Promise<number> => runTidy(argv, io, "gc");
