// What a person types into search, as an FTS5 query. Their words are data: each becomes a
// quoted string (so `AND`, `NEAR`, `*`, `:` and quotes mean nothing special), and all of
// them must occur. A phrase in double quotes stays a phrase.

const MAX_TERMS = 16;

export function ftsQuery(input: string): string | null {
  const terms: string[] = [];
  const pattern = /"([^"]*)"|(\S+)/g;
  for (const match of input.matchAll(pattern)) {
    // A stray quote (an unclosed phrase) is dropped: it is not part of any word.
    const term = (match[1] ?? match[2]?.replaceAll('"', "") ?? "").trim();
    if (term === "" || !/[\p{L}\p{N}]/u.test(term)) continue;
    terms.push(`"${term.replaceAll('"', '""')}"`);
    if (terms.length === MAX_TERMS) break;
  }
  return terms.length > 0 ? terms.join(" ") : null;
}
