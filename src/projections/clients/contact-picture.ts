import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../../adapters/db/read-model-schema.js';

/**
 * The picture (SHA-256) the Clients row of a contact holds: by its number, or by its linked-device id, which is
 * the number's row once the id was learned to be that number's.
 */
export async function contactPictureOf(
  db: Kysely<ReadModelSchema>,
  companyId: string,
  clientKey: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('Clients')
    .select('Profile_Picture_Sha256')
    .where('Company_Id', '=', companyId)
    .where((eb) =>
      eb(
        'Wa_Number',
        '=',
        eb.fn.coalesce(
          eb
            .selectFrom('Client_Lids')
            .select('Phone')
            .where('Company_Id', '=', companyId)
            .where('Lid', '=', clientKey),
          eb.val(clientKey),
        ),
      ),
    )
    .executeTakeFirst();
  return row?.Profile_Picture_Sha256 ?? null;
}
