import { withFileLock } from "../../host/file-lock.ts";
import { processAlive } from "../../shared/process-alive.ts";
import type { Context } from "../context.ts";

// Creates of one name started at once (`csm create dup &` four times, or two API calls)
// all pass the "does it exist" check before any of them has made anything. The first to
// claim the name keeps it until its create has finished, made or rolled back; the others
// are refused at once, before they reach git, whose own words ("a branch named … already
// exists") would say nothing useful. A claim whose process is gone is taken over.

/** Claims `name` for one create, or throws `refuse()` while another live create holds it. */
export async function claimName(ctx: Context, name: string, refuse: () => Error): Promise<AsyncDisposable> {
  const files = ctx.host.files;
  const locks = `${ctx.settings.paths.stateDir}/locks`;
  const path = `${locks}/create-${name}.claim`;
  const mine = `${process.pid} ${crypto.randomUUID()}`;
  // The check and the claim under one short lock, so two creates never both see it free.
  await withFileLock(files, `${locks}/create-claims.lock`, "the session name claims", async () => {
    const holder = await files.read(path);
    if (holder !== null && processAlive(Number(holder.split(" ")[0]))) throw refuse();
    await files.writeAtomic(path, mine, 0o600);
  });
  return {
    async [Symbol.asyncDispose]() {
      if ((await files.read(path)) === mine) await files.remove(path);
    },
  };
}
