import type { ArchiveListItem, Postmortem } from "../core/sessions/archive-show.ts";
import { archive, archivePostmortem } from "../hub-client/api.ts";
import type { HubClient } from "../hub-client/client.ts";
import { answered, asking, selectedArchived, withPostmortem } from "./archive-view-state.ts";
import type { TuiModel } from "./model.ts";

// What the Archive view asks the hub: the ended sessions when it opens, and the selected
// one's postmortem on Enter. Answers land only in the view that is still open.

export interface ArchiveApi {
  list(): Promise<ArchiveListItem[]>;
  postmortem(id: number): Promise<Postmortem>;
}

export const hubArchive = (hub: HubClient): ArchiveApi => ({
  list: () => archive(hub),
  postmortem: (id) => archivePostmortem(hub, String(id)),
});

const firstLine = (error: unknown) => ((error as Error).message ?? String(error)).split("\n")[0]!;

export class ArchiveTab {
  constructor(
    private readonly api: ArchiveApi,
    private readonly model: () => TuiModel,
    private readonly update: (model: TuiModel) => void,
  ) {}

  /** After a key changed the model: the view opened, or Enter on a row. */
  afterKey(before: TuiModel, after: TuiModel): void {
    if (!after.archive) return;
    if (after.archive.rows === null && !after.archive.loading && !after.archive.error) void this.list();
    if (after.mode === "archive-entry" && before.mode !== "archive-entry") void this.readPostmortem();
  }

  async list(): Promise<void> {
    const opened = this.model().archive;
    if (!opened) return;
    this.update({ ...this.model(), archive: asking(opened) });
    let answer: ArchiveListItem[] | { error: string };
    try {
      answer = await this.api.list();
    } catch (error) {
      answer = { error: firstLine(error) };
    }
    const now = this.model();
    if (now.archive) this.update({ ...now, archive: answered(now.archive, answer) });
  }

  async readPostmortem(): Promise<void> {
    const row = this.model().archive && selectedArchived(this.model().archive!);
    if (!row) return;
    let answer: Postmortem | { error: string };
    try {
      answer = await this.api.postmortem(row.id);
    } catch (error) {
      answer = { error: firstLine(error) };
    }
    const now = this.model();
    if (now.archive) this.update({ ...now, archive: withPostmortem(now.archive, row.id, answer) });
  }
}
