/**
 * Which phone JID each simulated linked-device id (`…@lid`) stands for, as WhatsApp Web learns it: the driver
 * keeps a contact under its phone JID once the mapping is known, and reports the mapping once.
 */
export class SimulatedContacts {
  private readonly phones = new Map<string, string>();

  /** Learns that `lid` stands for `phoneJid`; answers whether this is news. */
  learn(lid: string, phoneJid: string): boolean {
    if (this.phones.get(lid) === phoneJid) return false;
    this.phones.set(lid, phoneJid);
    return true;
  }

  /** The id a contact is kept under: a known `@lid`'s phone JID, otherwise the id itself. */
  canonical(jid: string): string {
    return this.phones.get(jid) ?? jid;
  }
}
