import { muteCommand } from "./mute.ts";

export const run = muteCommand(false);
