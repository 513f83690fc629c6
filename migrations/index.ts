import type { Migration } from 'kysely';
import * as eventStore from './0001-event-store.js';
import * as readModels from './0002-read-models.js';
import * as idempotencyKeys from './0003-idempotency-keys.js';
import * as mediaFiles from './0004-media-files.js';
import * as sessionLeases from './0005-session-leases.js';
import * as appendMany from './0006-append-many.js';
import * as appendReturningEvents from './0007-append-returning-events.js';
import * as sessionLiveness from './0008-session-liveness.js';
import * as streamSnapshots from './0009-stream-snapshots.js';
import * as singletonLeases from './0010-singleton-leases.js';
import * as simulatorWorld from './0011-simulator-world.js';
import * as loginBackups from './0012-login-backups.js';
import * as messageDetails from './0013-message-details.js';
import * as webhooks from './0014-webhooks.js';
import * as hashChain from './0015-hash-chain.js';
import * as eventsByCompanySession from './0016-events-by-company-session.js';
import * as conversations from './0017-conversations.js';
import * as pendingSendsIndex from './0019-pending-sends-index.js';
import * as gatewayMembers from './0020-gateway-members.js';
import * as sessionPairing from './0021-session-pairing.js';
import * as mediaFilesByContent from './0022-media-files-by-content.js';
import * as contactKeys from './0023-contact-keys.js';
import * as groups from './0024-groups.js';
import * as contactPicturesAndRetention from './0025-contact-pictures-and-retention.js';
import * as webhookClaimsAndRetention from './0026-webhook-claims-and-retention.js';
import * as pendingDownloads from './0027-pending-downloads.js';
import * as eventStoreDbAuditHeads from './0028-eventstoredb-audit-heads.js';
import * as eventStoreDbAuditIndex from './0029-eventstoredb-audit-index.js';
import * as mediaFilesByReference from './0030-media-files-by-reference.js';
import * as webhookPendingBySession from './0032-webhook-pending-by-session.js';
import * as lateLidErasures from './0033-late-lid-erasures.js';
import * as simulatorFiles from './0034-simulator-files.js';
import * as sessionLogCallsByCaller from './0035-session-log-calls-by-caller.js';
import * as earlyChangesByChat from './0036-early-changes-by-chat.js';
import * as webhookPendingByOwner from './0037-webhook-pending-by-owner.js';
import * as clientLids from './0038-client-lids.js';
import * as simulatorSentEntries from './0039-simulator-sent-entries.js';
/** Every migration, by name, in the order they apply. Listed here so that they bundle with the code. */
export const migrations: Record<string, Migration> = {
  '0001-event-store': eventStore,
  '0002-read-models': readModels,
  '0003-idempotency-keys': idempotencyKeys,
  '0004-media-files': mediaFiles,
  '0005-session-leases': sessionLeases,
  '0006-append-many': appendMany,
  '0007-append-returning-events': appendReturningEvents,
  '0008-session-liveness': sessionLiveness,
  '0009-stream-snapshots': streamSnapshots,
  '0010-singleton-leases': singletonLeases,
  '0011-simulator-world': simulatorWorld,
  '0012-login-backups': loginBackups,
  '0013-message-details': messageDetails,
  '0014-webhooks': webhooks,
  '0015-hash-chain': hashChain,
  '0016-events-by-company-session': eventsByCompanySession,
  '0017-conversations': conversations,
  '0019-pending-sends-index': pendingSendsIndex,
  '0020-gateway-members': gatewayMembers,
  '0021-session-pairing': sessionPairing,
  '0022-media-files-by-content': mediaFilesByContent,
  '0023-contact-keys': contactKeys,
  '0024-groups': groups,
  '0025-contact-pictures-and-retention': contactPicturesAndRetention,
  '0026-webhook-claims-and-retention': webhookClaimsAndRetention,
  '0027-pending-downloads': pendingDownloads,
  '0028-eventstoredb-audit-heads': eventStoreDbAuditHeads,
  '0029-eventstoredb-audit-index': eventStoreDbAuditIndex,
  '0030-media-files-by-reference': mediaFilesByReference,
  '0032-webhook-pending-by-session': webhookPendingBySession,
  '0033-late-lid-erasures': lateLidErasures,
  '0034-simulator-files': simulatorFiles,
  '0035-session-log-calls-by-caller': sessionLogCallsByCaller,
  '0036-early-changes-by-chat': earlyChangesByChat,
  '0037-webhook-pending-by-owner': webhookPendingByOwner,
  '0038-client-lids': clientLids,
  '0039-simulator-sent-entries': simulatorSentEntries,
};
