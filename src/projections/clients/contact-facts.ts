import type { ProjectedEvent } from '../projected-event.js';
import type { ReadModelWriter } from '../projector.js';
import { lidKey, numbersOfLids } from './lid-client-merge.js';

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
      const { contactJid, sha256 } = event.data;
      const client = await clientOfFact(db, companyId, event.data.phone, contactJid);
      await db
        .updateTable('Clients')
        .set({
          Profile_Picture_Url: contactPicturePath(sessionId, client.jid),
          Profile_Picture_Sha256: sha256,
        })
        .where('Company_Id', '=', companyId)
        .where('Wa_Number', '=', client.key)
        .execute();
    } else if (event.type === 'ContactNamed' && event.data.name !== '') {
      // (An empty name is one erased with its contact.)
      const client = await clientOfFact(db, companyId, event.data.phone, event.data.contactJid);
      await db
        .updateTable('Clients')
        .set({ Client_Name: event.data.name })
        .where('Company_Id', '=', companyId)
        .where('Wa_Number', '=', client.key)
        .where('Client_Name', 'is', null)
        .execute();
    }
  }
}

/**
 * The row a fact is about, and the address its picture is served by: a fact recorded under a linked-device id
 * already learned to be a number's is the number's.
 */
async function clientOfFact(db: ReadModelWriter, companyId: string, key: string, contactJid: string) {
  if (!key.endsWith('@lid')) return { key, jid: contactJid };
  const phone = (await numbersOfLids(db, [{ companyId, lid: key }])).get(lidKey(companyId, key));
  return phone ? { key: phone, jid: `${phone}@c.us` } : { key, jid: contactJid };
}
