// Browser-friendly event streams without the token in a URL (URLs end up in logs and
// history): an authenticated POST gets a ticket that opens one stream, once, within a
// minute.

const TICKET_LIFETIME_MS = 60_000;

export class StreamTickets {
  private readonly tickets = new Map<string, number>();

  issue(now = Date.now()): { ticket: string; expiresAt: string } {
    for (const [ticket, expires] of this.tickets) if (expires < now) this.tickets.delete(ticket);
    const ticket = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
    this.tickets.set(ticket, now + TICKET_LIFETIME_MS);
    return { ticket, expiresAt: new Date(now + TICKET_LIFETIME_MS).toISOString() };
  }

  /** True once per ticket, and only before it expires. */
  redeem(ticket: string | null, now = Date.now()): boolean {
    if (!ticket) return false;
    const expires = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return expires !== undefined && expires >= now;
  }
}
