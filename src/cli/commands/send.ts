export { send as run } from "./session-actions.ts";
