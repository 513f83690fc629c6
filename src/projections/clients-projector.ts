import { sql } from 'kysely';
import type { Projector } from './projector.js';
import { clientIdFor, fromUnixSeconds } from './read-model-keys.js';

/** One row per WhatsApp number that wrote to any session of a company: its name and last contact. */
export const clientsProjector: Projector = {
  name: 'clients',
  tables: ['Clients'],

  async apply(db, event) {
    if (event.type !== 'MessageReceived' || event.data.fromMe || !event.data.senderPhone) return;
    const { senderPhone, senderName, timestamp } = event.data;
    const { companyId } = event.metadata;
    await db
      .insertInto('Clients')
      .values({
        Id: clientIdFor(companyId, senderPhone),
        Company_Id: companyId,
        Client_Name: senderName,
        Wa_Number: senderPhone,
        Profile_Picture_Url: null,
        Last_Contact_At: fromUnixSeconds(timestamp),
        Created_At: event.metadata.recordedAt,
      })
      .onConflict((oc) =>
        oc.columns(['Company_Id', 'Wa_Number']).doUpdateSet((eb) => {
          // The newest message names the client, so replaying an older one changes nothing.
          const isNewest = sql<boolean>`${eb.ref('excluded.Last_Contact_At')} >= coalesce(${eb.ref('Clients.Last_Contact_At')}, '-infinity'::timestamptz)`;
          return {
            Client_Name: sql`case when ${isNewest} then coalesce(${eb.ref('excluded.Client_Name')}, ${eb.ref('Clients.Client_Name')}) else ${eb.ref('Clients.Client_Name')} end`,
            Last_Contact_At: sql`greatest(${eb.ref('excluded.Last_Contact_At')}, ${eb.ref('Clients.Last_Contact_At')})`,
          };
        }),
      )
      .execute();
  },
};
