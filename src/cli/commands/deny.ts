export { deny as run } from "./approvals.ts";
