import type { ProjectedEvent } from '../projected-event.js';
import type { ReadModelWriter } from '../projector.js';
import { lidKey, numbersOfLids } from './linked-device-clients.js';

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
      const client = await clientOfFact(db, event, event.data.phone, contactJid);
      await db
        .updateTable('Clients')
        .set({
          Profile_Picture_Url: contactPicturePath(sessionId, client.jid),
          Profile_Picture_Sha256: sha256,
        })
        .where('Company_Id', '=', companyId)
        .where('Wa_Number', '=', client.key)
        // A picture the id had before it was learned is the number's only where it has none (as the merge does).
        .$if(client.beforeMapping, (qb) => qb.where('Profile_Picture_Sha256', 'is', null))
        .execute();
    } else if (event.type === 'ContactNamed' && event.data.name !== '') {
      // (An empty name is one erased with its contact.)
      const client = await clientOfFact(db, event, event.data.phone, event.data.contactJid);
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
 * learned to be a number's is the number's; `beforeMapping` when it came before that in history.
 */
async function clientOfFact(db: ReadModelWriter, event: ProjectedEvent, key: string, contactJid: string) {
  const asRecorded = { key, jid: contactJid, beforeMapping: false };
  if (!key.endsWith('@lid')) return asRecorded;
  const { companyId } = event.metadata;
  const learned = (await numbersOfLids(db, [{ companyId, lid: key }])).get(lidKey(companyId, key));
  if (!learned) return asRecorded;
  return {
    key: learned.phone,
    jid: `${learned.phone}@c.us`,
    beforeMapping: event.position < learned.position,
  };
}
