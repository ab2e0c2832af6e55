export { pending as run } from "./approvals.ts";
