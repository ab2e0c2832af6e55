export { interrupt as run } from "./session-actions.ts";
