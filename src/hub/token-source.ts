import { statSync } from "node:fs";
import { ensureToken, readToken } from "./token.ts";

// The token the hub checks, re-read when its file changes: `csm token --rotate` takes
// effect at once, and the old token stops working.
export class TokenSource {
  private stamp = "";
  private token: string;

  constructor(private readonly path: string) {
    this.token = ensureToken(path);
  }

  current(): string {
    try {
      const stat = statSync(this.path);
      const stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
      if (stamp !== this.stamp) {
        this.stamp = stamp;
        this.token = readToken(this.path) ?? this.token;
      }
    } catch {
      // A deleted token file does not open the door: the last token stays in force.
    }
    return this.token;
  }
}
