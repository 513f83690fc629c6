import type { ProjectedEvent } from '../projected-event.js';
import type { ReadModelWriter } from '../projector.js';

/** The path that serves a contact's kept profile picture (API.md "Media and contacts"). */
export const contactPicturePath = (sessionId: string, contactJid: string): string =>
  `/whatsapp/sessions/${sessionId}/contacts/${contactJid}/picture`;

/**
 * What the gateway learned of a contact besides its messages: its profile picture (the latest recorded wins) and
 * the name from the phone's contact list (only where no message named it). Applied after the batch's messages,
 * in order, one statement each: such facts are rare next to messages.
 */
export async function applyContactFacts(
  db: ReadModelWriter,
  events: readonly ProjectedEvent[],
): Promise<void> {
  for (const event of events) {
    const { companyId, sessionId } = event.metadata;
    if (event.type === 'ContactPictureKept') {
      const { contactJid, phone, sha256 } = event.data;
      await db
        .updateTable('Clients')
        .set({
          Profile_Picture_Url: contactPicturePath(sessionId, contactJid),
          Profile_Picture_Sha256: sha256,
        })
        .where('Company_Id', '=', companyId)
        .where('Wa_Number', '=', phone)
        .execute();
    } else if (event.type === 'ContactNamed' && event.data.name !== '') {
      // (An empty name is one erased with its contact.)
      await db
        .updateTable('Clients')
        .set({ Client_Name: event.data.name })
        .where('Company_Id', '=', companyId)
        .where('Wa_Number', '=', event.data.phone)
        .where('Client_Name', 'is', null)
        .execute();
    }
  }
}
