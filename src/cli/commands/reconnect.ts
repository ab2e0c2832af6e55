export { reconnect as run } from "./session-actions.ts";
