import { conversationsSection } from "./conversations.ts";
import { dashboardSection } from "./dashboard.ts";
import { diffSection } from "./diff.ts";
import { hubSection } from "./hub.ts";
import { listSection } from "./list.ts";
import { moveSection } from "./move.ts";
import { nativeSection } from "./native.ts";
import { rulesSection } from "./rules.ts";
import { sshSection } from "./ssh.ts";
import { statusLineSection } from "./status-line.ts";
import { syncSection } from "./sync.ts";
import { webSection } from "./web.ts";
import type { BenchSection } from "./section.ts";

// `bun run bench [SECTION…]`: runs every section, or only the named ones, one after
// another so they never compete for the machine.

const SECTIONS: BenchSection[] = [listSection, hubSection, rulesSection, dashboardSection, sshSection, diffSection, conversationsSection, syncSection, moveSection, statusLineSection, webSection, nativeSection];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !SECTIONS.some((section) => section.name === name));
if (unknown.length > 0) {
  console.error(`unknown bench section(s): ${unknown.join(", ")}; known: ${SECTIONS.map((s) => s.name).join(", ")}`);
  process.exit(2);
}

let failed = false;
for (const section of SECTIONS.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
  console.log(`== ${section.name}: ${section.title}`);
  try {
    console.log(await section.run());
  } catch (error) {
    failed = true;
    console.error(`bench section ${section.name} failed: ${(error as Error).message}`);
  }
  console.log();
}
process.exitCode = failed ? 1 : 0;
