import { sql, type Insertable } from 'kysely';
import type { ClientsTable } from '../../adapters/db/read-model-schema.js';
import type { ProjectedEvent } from '../projected-event.js';
import type { ReadModelWriter } from '../projector.js';
import { clientIdFor, individualNumber } from '../read-model-keys.js';

type LidMappedEvent = Extract<ProjectedEvent, { type: 'ContactLidMapped' }>;

/** A linked-device id learned to be a number's, and where in history that was learned. */
export interface LearnedNumber {
  phone: string;
  position: bigint;
}

/**
 * The numbers the given linked-device ids are known to stand for, by company and id (`<company>|<id>`). What
 * comes addressed by such an id goes to its number's row, whether it came before the mapping in history (its
 * commit was later, or it is applied again: the merge took it there already) or after it.
 */
export async function numbersOfLids(
  db: ReadModelWriter,
  contacts: readonly { companyId: string; lid: string }[],
): Promise<Map<string, LearnedNumber>> {
  const distinct = [...new Map(contacts.map((c) => [lidKey(c.companyId, c.lid), c])).values()];
  if (distinct.length === 0) return new Map();
  const rows = await db
    .selectFrom('Client_Lids')
    .select(['Company_Id', 'Lid', 'Phone', 'Position'])
    .where((eb) =>
      eb.or(distinct.map((c) => eb.and([eb('Company_Id', '=', c.companyId), eb('Lid', '=', c.lid)]))),
    )
    .execute();
  return new Map(
    rows.map((row) => [
      lidKey(row.Company_Id, row.Lid),
      { phone: row.Phone, position: BigInt(row.Position) },
    ]),
  );
}

/**
 * Every linked-device id whose rows these events touch is locked (in one order) before they are read or written:
 * a message by an id and the mapping of that id, projected by two processes at once, would otherwise each miss
 * the other's uncommitted row (one makes a row under the id, the other merges none).
 */
export async function lockLids(db: ReadModelWriter, keys: readonly string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    await db
      .selectNoFrom(
        sql<unknown>`pg_advisory_xact_lock(hashtextextended(${`client-lid|${key}`}, 0))`.as('locked'),
      )
      .execute();
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
  const position = event.position.toString();
  await db
    .insertInto('Client_Lids')
    .values({ Company_Id: companyId, Lid: lid, Phone: phone, Position: position })
    .onConflict((oc) => oc.columns(['Company_Id', 'Lid']).doUpdateSet({ Phone: phone, Position: position }))
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

/** The batch in parts, each ending at a learned linked-device id, so that its merge comes after what preceded it. */
export function partsEndingAtLidMappings(events: readonly ProjectedEvent[]): ProjectedEvent[][] {
  const parts: ProjectedEvent[][] = [[]];
  for (const event of events) {
    parts.at(-1)!.push(event);
    if (event.type === 'ContactLidMapped') parts.push([]);
  }
  return parts.filter((part) => part.length > 0);
}

/** A message's Clients row, and where in history the message is. */
export interface PositionedRow {
  row: Insertable<ClientsTable>;
  position: bigint;
}

/** Rows of senders addressed by a linked-device id learned to be a number's go to the number's row. */
export async function underLearnedNumbers(
  db: ReadModelWriter,
  rows: readonly PositionedRow[],
): Promise<Insertable<ClientsTable>[]> {
  const byLid = rows.filter(({ row }) => row.Wa_Number.endsWith('@lid'));
  if (byLid.length === 0) return rows.map(({ row }) => row);
  const numbers = await numbersOfLids(
    db,
    byLid.map(({ row }) => ({ companyId: row.Company_Id, lid: row.Wa_Number })),
  );
  return rows.map(({ row }) => {
    const phone = numbers.get(lidKey(row.Company_Id, row.Wa_Number))?.phone;
    return phone ? { ...row, Id: clientIdFor(row.Company_Id, phone), Wa_Number: phone } : row;
  });
}

/** The linked-device ids (`<company>|<id>`) whose rows these events may touch; none for most batches. */
export function lidsTouched(events: readonly ProjectedEvent[]): string[] {
  const keys: string[] = [];
  for (const event of events) {
    const { companyId } = event.metadata;
    if (event.type === 'MessageReceived' && !event.data.fromMe && !event.data.senderPhone) {
      if (event.data.from.endsWith('@lid')) keys.push(lidKey(companyId, event.data.from));
    } else if (event.type === 'ContactLidMapped') keys.push(lidKey(companyId, event.data.lid));
    else if (event.type === 'ContactPictureKept' || event.type === 'ContactNamed') {
      if (event.data.phone.endsWith('@lid')) keys.push(lidKey(companyId, event.data.phone));
    }
  }
  return keys;
}
