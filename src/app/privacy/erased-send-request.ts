import type { BusMessage } from '../../adapters/bus/port.js';
import type { EventStore } from '../../adapters/event-store/port.js';
import { erasedMarker } from '../../domain/privacy/sealed-data.js';

/** Why a send to a contact erased while it waited fails for good (README, "Privacy: crypto-shredding"). */
export const contactErasedReason = 'the contact was erased';

/**
 * Whether the contact of a pending send was erased since it was requested: the request, read from the store
 * as it is now, has its personal fields erased. The copy on the bus may still carry the text in clear (the
 * process that appended it published what it was given), so the store decides, not the copy.
 */
export async function sendRequestErased(
  store: Pick<EventStore, 'readStream'>,
  request: Pick<BusMessage, 'streamName' | 'revision' | 'data'>,
): Promise<boolean> {
  if (request.data[erasedMarker] === true) return true;
  const [stored] = await store.readStream(request.streamName, {
    fromRevision: BigInt(request.revision),
    maxCount: 1,
  });
  if (stored?.type !== 'MessageSendRequested' || stored.data.messageId !== request.data.messageId)
    return false;
  return stored.data[erasedMarker] === true;
}
