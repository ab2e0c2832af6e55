import { muteCommand } from "../mute-command.ts";

export const run = muteCommand(false);
