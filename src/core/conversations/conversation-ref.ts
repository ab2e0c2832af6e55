// What may name a conversation (an id, id prefix, title or csm session name): data for a
// lookup, never a path. One rule for the CLI and the API, each saying it its own way.

export const MAX_REF_CHARS = 200;

export const isConversationRef = (ref: string): boolean => ref.trim() !== "" && ref.length <= MAX_REF_CHARS;
