import { statSync } from "node:fs";
import { checkConfigLink, readConfig } from "../../config/load.ts";
import type { ToolRule } from "../../config/schema.ts";
import { validateRules } from "./validate.ts";

// toolApprovalRules as the hub and each bridge see them: re-read whenever the config file changes (the CLI's
// `csm rules add` and `--always` write it). A broken file or rule list is never half
// used: no rule applies, every request goes to a person, and the error is reported.

export interface CurrentRules {
  rules: ToolRule[];
  error: string | null;
}

export class RuleSource {
  private stamp = "";
  private current: CurrentRules = { rules: [], error: null };

  constructor(private readonly configFile: string) {}

  async get(): Promise<CurrentRules> {
    let stamp: string;
    try {
      const stat = statSync(this.configFile);
      stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch {
      stamp = "missing";
    }
    if (stamp === this.stamp) return this.current;
    this.stamp = stamp;
    try {
      if (stamp === "missing") checkConfigLink(this.configFile);
      const config = await readConfig(this.configFile);
      validateRules(config.toolApprovalRules, `${this.configFile}: toolApprovalRules`);
      this.current = { rules: config.toolApprovalRules, error: null };
    } catch (error) {
      this.current = { rules: [], error: (error as Error).message };
    }
    return this.current;
  }
}
