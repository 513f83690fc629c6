import { sql, type Insertable } from 'kysely';
import type { ClientsTable } from '../../adapters/db/read-model-schema.js';
import { inChunks, inRounds } from '../in-rounds.js';
import { clientsColumns } from '../read-model-columns.js';
import { columnsOf, unnestRows } from '../unnest-rows.js';
import type { ProjectedEvent } from '../projected-event.js';
import { applyContactFacts } from './contact-facts.js';
import {
  lidsTouched,
  lockLids,
  mergeLidClient,
  partsEndingAtLidMappings,
  underLearnedNumbers,
  type PositionedRow,
} from './linked-device-clients.js';
import type { Projector, ReadModelWriter } from '../projector.js';
import { clientIdFor, fromUnixSeconds } from '../read-model-keys.js';

/**
 * One row per WhatsApp contact that wrote to any session of a company: its name and last contact. A contact is
 * its number, or its linked-device id while WhatsApp hides the number (merged into the number's row once the id
 * is learned to be its: linked-device-clients.ts).
 */
export const clientsProjector: Projector = {
  name: 'clients',
  tables: ['Clients', 'Client_Lids'],

  // A contact's messages in the batch folded into one row where that is exact (see foldClientRows), the rest in
  // rounds: one upsert per round, a contact at most once in each, in order. A learned linked-device id ends a
  // part of the batch, so that its row is merged after exactly the messages before it.
  async project(db, events) {
    await lockLids(db, lidsTouched(events));
    for (const part of partsEndingAtLidMappings(events)) {
      const rows = await underLearnedNumbers(db, part.flatMap(clientRow));
      const { folded, unfolded } = foldClientRows(rows);
      await upsertClients(db, folded);
      for (const round of inRounds(unfolded, (row) => [row.Id])) await upsertClients(db, round);
      await applyContactFacts(db, part);
      const last = part.at(-1);
      if (last?.type === 'ContactLidMapped') await mergeLidClient(db, last);
    }
  },
};

function clientRow(event: ProjectedEvent): PositionedRow[] {
  if (event.type !== 'MessageReceived' || event.data.fromMe) return [];
  const { senderPhone, senderName, timestamp, from } = event.data;
  // A sender WhatsApp knows only by its linked-device id has no number: its row is kept under the id.
  const key = senderPhone || (from.endsWith('@lid') ? from : undefined);
  if (!key) return [];
  const { companyId } = event.metadata;
  const row: Insertable<ClientsTable> = {
    Id: clientIdFor(companyId, key),
    Company_Id: companyId,
    Client_Name: senderName,
    Wa_Number: key,
    Profile_Picture_Url: null,
    Profile_Picture_Sha256: null,
    Last_Contact_At: fromUnixSeconds(timestamp),
    Created_At: event.metadata.recordedAt,
  };
  return [{ row, position: event.position }];
}

/** Rows with distinct numbers. */
async function upsertClients(db: ReadModelWriter, rows: Insertable<ClientsTable>[]): Promise<void> {
  // Rows a company's streams share, locked in one order by every writer (inline projections of two processes).
  const ordered = [...rows].sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
  for (const chunk of inChunks(ordered, 1000)) {
    await db
      .insertInto('Clients')
      .columns(columnsOf(clientsColumns))
      .expression(unnestRows(chunk, clientsColumns))
      .onConflict((oc) =>
        oc.columns(['Company_Id', 'Wa_Number']).doUpdateSet((eb) => {
          // The newest message names the client, so replaying an older one changes nothing.
          const isNewest = sql<boolean>`${eb.ref('excluded.Last_Contact_At')} >= coalesce(${eb.ref('Clients.Last_Contact_At')}, '-infinity'::timestamptz)`;
          return {
            Client_Name: sql`case when ${isNewest} then coalesce(${eb.ref('excluded.Client_Name')}, ${eb.ref('Clients.Client_Name')}) else ${eb.ref('Clients.Client_Name')} end`,
            Last_Contact_At: sql`greatest(${eb.ref('excluded.Last_Contact_At')}, ${eb.ref('Clients.Last_Contact_At')})`,
            // Two processes' transactions may create the row in either order, and a rebuild replays them in
            // commit order: the earliest message's time, whichever applies first.
            Created_At: sql`least(${eb.ref('excluded.Created_At')}, ${eb.ref('Clients.Created_At')})`,
          };
        }),
      )
      .execute();
  }
}

/**
 * The upsert keeps the name of the newest message (by WhatsApp time) and the latest contact. Of one number's
 * messages in a batch, only those at least as new as every one before them (the running newest) can change
 * the row, whatever the row held; if the last of them has a name, it is the name that remains when any of
 * them applies, and no other applies. So the number's row is: the earliest message's creation, the last running
 * newest's name and time. A last running newest without a name is left to the rounds.
 */
export function foldClientRows(rows: readonly Insertable<ClientsTable>[]): {
  folded: Insertable<ClientsTable>[];
  unfolded: Insertable<ClientsTable>[];
} {
  const byClient = new Map<string, Insertable<ClientsTable>[]>();
  for (const row of rows) {
    const group = byClient.get(row.Id);
    if (group) group.push(row);
    else byClient.set(row.Id, [row]);
  }
  const folded: Insertable<ClientsTable>[] = [];
  const unfolded: Insertable<ClientsTable>[] = [];
  for (const group of byClient.values()) {
    let newest = group[0]!;
    for (const row of group) if (contactTime(row) >= contactTime(newest)) newest = row;
    if (newest.Client_Name === null) unfolded.push(...group);
    else
      folded.push({
        ...group[0]!,
        Client_Name: newest.Client_Name,
        Last_Contact_At: newest.Last_Contact_At,
        Created_At: earliest(group),
      });
  }
  return { folded, unfolded };
}

const earliest = (rows: readonly Insertable<ClientsTable>[]) =>
  rows.map((row) => row.Created_At).reduce((a, b) => (new Date(b).getTime() < new Date(a).getTime() ? b : a));

const contactTime = (row: Insertable<ClientsTable>) => (row.Last_Contact_At as Date).getTime();
