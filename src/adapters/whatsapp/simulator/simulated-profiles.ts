/**
 * What a simulated session's WhatsApp shows of its contacts: each one's profile picture, as WhatsApp's servers
 * serve it, and the name the phone's contact list keeps for it.
 */
export class SimulatedProfiles {
  private readonly pictures = new Map<string, Buffer>();
  private readonly names = new Map<string, string>();

  showPicture(contactJid: string, data: Buffer): void {
    this.pictures.set(contactJid, data);
  }

  saveName(contactJid: string, name: string): void {
    this.names.set(contactJid, name);
  }

  picture(contactJid: string): Buffer | null {
    return this.pictures.get(contactJid) ?? null;
  }

  name(contactJid: string): string | null {
    return this.names.get(contactJid) ?? null;
  }
}
