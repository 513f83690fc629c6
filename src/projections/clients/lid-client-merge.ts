import { sql } from 'kysely';
import type { ProjectedEvent } from '../projected-event.js';
import type { ReadModelWriter } from '../projector.js';
import { clientIdFor, individualNumber } from '../read-model-keys.js';

type LidMappedEvent = Extract<ProjectedEvent, { type: 'ContactLidMapped' }>;

/**
 * The numbers the given linked-device ids are known to stand for, by company and id (`<company>|<id>`): a
 * contact's message or fact addressed by an id learned before goes to its number's row.
 */
export async function numbersOfLids(
  db: ReadModelWriter,
  contacts: readonly { companyId: string; lid: string }[],
): Promise<Map<string, string>> {
  const distinct = [...new Map(contacts.map((c) => [lidKey(c.companyId, c.lid), c])).values()];
  if (distinct.length === 0) return new Map();
  const rows = await db
    .selectFrom('Client_Lids')
    .select(['Company_Id', 'Lid', 'Phone'])
    .where((eb) =>
      eb.or(distinct.map((c) => eb.and([eb('Company_Id', '=', c.companyId), eb('Lid', '=', c.lid)]))),
    )
    .execute();
  return new Map(rows.map((row) => [lidKey(row.Company_Id, row.Lid), row.Phone]));
}

export const lidKey = (companyId: string, lid: string): string => `${companyId}|${lid}`;

/**
 * Once a linked-device id is learned to stand for a number, that is kept (Client_Lids), and the row kept under
 * the id joins the number's by the rules of a message's upsert (the newest contact's name, the latest contact,
 * the earliest creation), with the id's picture where the number has none (then served by the number). Applied
 * again, it finds no row under the id: what came by the id since went to the number's row.
 */
export async function mergeLidClient(db: ReadModelWriter, event: LidMappedEvent): Promise<void> {
  const phone = individualNumber(event.data.phoneJid);
  // An erased mapping names no number: the id's row stays until the id's own chat is erased.
  if (!phone || !event.data.lid.endsWith('@lid')) return;
  const { companyId } = event.metadata;
  const { lid } = event.data;
  await db
    .insertInto('Client_Lids')
    .values({ Company_Id: companyId, Lid: lid, Phone: phone })
    .onConflict((oc) => oc.columns(['Company_Id', 'Lid']).doUpdateSet({ Phone: phone }))
    .execute();
  await db
    .with('lid', (qb) =>
      qb
        .deleteFrom('Clients')
        .where('Company_Id', '=', companyId)
        .where('Wa_Number', '=', lid)
        .returningAll(),
    )
    .insertInto('Clients')
    .columns([
      'Id',
      'Company_Id',
      'Client_Name',
      'Wa_Number',
      'Profile_Picture_Url',
      'Profile_Picture_Sha256',
      'Last_Contact_At',
      'Created_At',
    ])
    .expression((eb) =>
      eb.selectFrom('lid').select([
        sql<string>`${clientIdFor(companyId, phone)}::uuid`.as('Id'),
        'Company_Id',
        'Client_Name',
        sql<string>`${phone}`.as('Wa_Number'),
        // The picture is served by the number from now on.
        sql<string>`replace("Profile_Picture_Url", ${`/contacts/${event.data.lid}/picture`}, ${`/contacts/${event.data.phoneJid}/picture`})`.as(
          'Profile_Picture_Url',
        ),
        'Profile_Picture_Sha256',
        'Last_Contact_At',
        'Created_At',
      ]),
    )
    .onConflict((oc) =>
      oc.columns(['Company_Id', 'Wa_Number']).doUpdateSet((eb) => {
        const merged = eb.ref('excluded.Last_Contact_At');
        const kept = eb.ref('Clients.Last_Contact_At');
        const mergedIsNewer = sql<boolean>`${merged} >= coalesce(${kept}, '-infinity'::timestamptz)`;
        const keptHasPicture = sql<boolean>`${eb.ref('Clients.Profile_Picture_Sha256')} is not null`;
        return {
          Client_Name: sql`case when ${mergedIsNewer}
            then coalesce(${eb.ref('excluded.Client_Name')}, ${eb.ref('Clients.Client_Name')})
            else coalesce(${eb.ref('Clients.Client_Name')}, ${eb.ref('excluded.Client_Name')}) end`,
          Last_Contact_At: sql`greatest(${merged}, ${kept})`,
          Created_At: sql`least(${eb.ref('excluded.Created_At')}, ${eb.ref('Clients.Created_At')})`,
          Profile_Picture_Url: sql`case when ${keptHasPicture}
            then ${eb.ref('Clients.Profile_Picture_Url')} else ${eb.ref('excluded.Profile_Picture_Url')} end`,
          Profile_Picture_Sha256: sql`coalesce(${eb.ref('Clients.Profile_Picture_Sha256')}, ${eb.ref('excluded.Profile_Picture_Sha256')})`,
        };
      }),
    )
    .execute();
}
