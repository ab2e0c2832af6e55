export { approve as run } from "./approvals.ts";
