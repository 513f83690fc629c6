import type { StoredEvent } from './event-log.js';
import { Empty, ReadResp, StreamIdentifier, UUID } from './generated.js';

type ReadRespMessage = InstanceType<typeof ReadResp>;
type UuidMessage = InstanceType<typeof UUID>;

export function streamIdentifier(streamName: string): InstanceType<typeof StreamIdentifier> {
  return new StreamIdentifier().setStreamName(Buffer.from(streamName, 'utf8'));
}

/** A stored event as a `ReadResp`, with its id in the format the reader asked for. */
export function eventMessage(event: StoredEvent, structuredIds: boolean): ReadRespMessage {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidMessage(event.id, structuredIds))
    .setStreamIdentifier(streamIdentifier(event.streamName))
    .setStreamRevision(event.revision.toString())
    .setCommitPosition(event.commitPosition.toString())
    .setPreparePosition(event.preparePosition.toString())
    .setData(event.data)
    .setCustomMetadata(event.customMetadata);
  for (const [key, value] of event.metadata) recorded.getMetadataMap().set(key, value);
  const readEvent = new ReadResp.ReadEvent()
    .setEvent(recorded)
    .setCommitPosition(event.commitPosition.toString());
  return new ReadResp().setEvent(readEvent);
}

export function confirmationMessage(subscriptionId: string): ReadRespMessage {
  return new ReadResp().setConfirmation(
    new ReadResp.SubscriptionConfirmation().setSubscriptionId(subscriptionId),
  );
}

export function checkpointMessage(event: StoredEvent): ReadRespMessage {
  const checkpoint = new ReadResp.Checkpoint()
    .setCommitPosition(event.commitPosition.toString())
    .setPreparePosition(event.preparePosition.toString());
  return new ReadResp().setCheckpoint(checkpoint);
}

export function caughtUpMessage(): ReadRespMessage {
  return new ReadResp().setCaughtUp(new ReadResp.CaughtUp());
}

export function streamNotFoundMessage(streamName: string): ReadRespMessage {
  return new ReadResp().setStreamNotFound(
    new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(streamName)),
  );
}

export const empty = () => new Empty();

function uuidMessage(id: string, structured: boolean): UuidMessage {
  if (!structured) return new UUID().setString(id);
  const bytes = Buffer.from(id.replaceAll('-', ''), 'hex');
  const bits = new UUID.Structured()
    .setMostSignificantBits(bytes.readBigInt64BE(0).toString())
    .setLeastSignificantBits(bytes.readBigInt64BE(8).toString());
  return new UUID().setStructured(bits);
}

/** The id of a proposed event, sent either as a string or as two signed 64-bit halves. */
export function uuidFromMessage(uuid: UuidMessage | undefined): string | undefined {
  if (!uuid) return undefined;
  if (!uuid.hasStructured()) return uuid.getString().toLowerCase();
  const bits = uuid.getStructured()!;
  const bytes = Buffer.alloc(16);
  bytes.writeBigInt64BE(BigInt.asIntN(64, BigInt(bits.getMostSignificantBits())), 0);
  bytes.writeBigInt64BE(BigInt.asIntN(64, BigInt(bits.getLeastSignificantBits())), 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
