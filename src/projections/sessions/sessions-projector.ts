import type { Updateable } from 'kysely';
import type { SessionsTable } from '../../adapters/db/read-model-schema.js';
import { connectionStatuses, type ConnectionStatus } from '../../domain/session/session-state.js';
import type { ProjectedEvent } from '../projected-event.js';
import type { Projector, ReadModelWriter } from '../projector.js';

const statusCode = (status: ConnectionStatus): number => connectionStatuses.indexOf(status);
const offline = {
  Status: statusCode('disconnected'),
  Qr_Code: null,
  Qr_Expires_At: null,
  Pairing_Code: null,
};

/** One row per session: its registry fields, connection status and current QR code or pairing code. */
export const sessionsProjector: Projector = {
  name: 'sessions',
  tables: ['Sessions'],

  async project(db, events) {
    for (const event of events) await applySessionEvent(db, event);
  },
};

async function applySessionEvent(db: ReadModelWriter, event: ProjectedEvent): Promise<void> {
  if (event.type === 'SessionRegistered') {
    const { sessionId, companyId, name, phoneNumber, tokenHash } = event.data;
    await db
      .insertInto('Sessions')
      .values({
        Id: sessionId,
        Company_Id: companyId,
        Session_Name: name,
        Phone_Number: phoneNumber,
        Session_Token_Hash: tokenHash,
        Status: statusCode('disconnected'),
        Desired_State: 'stopped',
        Created_At: event.metadata.recordedAt,
        Updated_At: event.metadata.recordedAt,
        Last_Revision: event.revision.toString(),
      })
      .onConflict((oc) => oc.column('Id').doNothing())
      .execute();
    return;
  }
  const changes = changesFor(event);
  if (changes) await update(db, event, changes);
}

function changesFor(event: ProjectedEvent): Updateable<SessionsTable> | undefined {
  switch (event.type) {
    case 'SessionUpdated': {
      const { name, phoneNumber, tokenHash } = event.data;
      return {
        ...(name === undefined ? {} : { Session_Name: name }),
        ...(phoneNumber === undefined ? {} : { Phone_Number: phoneNumber }),
        ...(tokenHash === undefined ? {} : { Session_Token_Hash: tokenHash }),
      };
    }
    case 'SessionDeleted':
      return { ...offline, Desired_State: 'stopped', Deleted_At: event.metadata.recordedAt };
    case 'SessionStartRequested':
      return { Desired_State: 'running' };
    case 'SessionStopRequested':
      return { Desired_State: 'stopped' };
    case 'SessionConnecting':
      return { Status: statusCode('connecting'), Qr_Code: null, Qr_Expires_At: null, Pairing_Code: null };
    case 'QrCodeIssued':
      return {
        Status: statusCode('qr'),
        Qr_Code: event.data.qrCode,
        Qr_Expires_At: event.data.expiresAt,
        Pairing_Code: null,
      };
    case 'PairingCodeIssued':
      return {
        Status: statusCode('pairing'),
        Qr_Code: null,
        Qr_Expires_At: null,
        Pairing_Code: event.data.pairingCode,
      };
    case 'SessionConnected':
      return {
        Status: statusCode('connected'),
        Wa_Id: event.data.waId,
        Qr_Code: null,
        Qr_Expires_At: null,
        Pairing_Code: null,
        ...(event.data.phoneNumber ? { Phone_Number: event.data.phoneNumber } : {}),
      };
    case 'SessionDisconnected':
      return { ...offline, ...(event.data.loggedOut ? { Wa_Id: null } : {}) };
    case 'SessionStopped':
    case 'SessionMarkedDead':
      return offline;
    case 'SessionFailed':
      return { ...offline, ...(event.data.retryable ? {} : { Desired_State: 'stopped' }) };
    default:
      return undefined;
  }
}

async function update(
  db: ReadModelWriter,
  event: ProjectedEvent,
  changes: Updateable<SessionsTable>,
): Promise<void> {
  await db
    .updateTable('Sessions')
    .set({ ...changes, Updated_At: event.metadata.recordedAt, Last_Revision: event.revision.toString() })
    .where('Id', '=', event.metadata.sessionId)
    .where('Last_Revision', '<', event.revision.toString())
    .execute();
}
