import { readdir } from "node:fs/promises";
import { join } from "node:path";

/** Every path under `root` whose file name contains `marker`: a canary some shell created. */
export async function findCanaries(root: string, marker: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true });
  return entries.filter((entry) => entry.split("/").at(-1)!.includes(marker)).map((entry) => join(root, entry));
}
