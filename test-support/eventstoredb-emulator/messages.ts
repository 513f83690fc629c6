import type { ReadReq } from '@eventstore/db-client/generated/streams_pb.js';
import type { StoredEvent } from './event-log.js';
import { Empty, ReadResp, StreamIdentifier, UUID } from './generated.js';

type UuidFormat = ReadReq.Options.UUIDOption.ContentCase;
const STRUCTURED: UuidFormat = 1;

export function streamIdentifier(streamName: string): InstanceType<typeof StreamIdentifier> {
  return new StreamIdentifier().setStreamName(Buffer.from(streamName, 'utf8'));
}

/** A stored event as a `ReadResp`, with its id in the format the reader asked for. */
export function eventMessage(event: StoredEvent, uuidFormat: UuidFormat): InstanceType<typeof ReadResp> {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidMessage(event.id, uuidFormat))
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

export function confirmationMessage(subscriptionId: string): InstanceType<typeof ReadResp> {
  return new ReadResp().setConfirmation(
    new ReadResp.SubscriptionConfirmation().setSubscriptionId(subscriptionId),
  );
}

export function checkpointMessage(event: StoredEvent): InstanceType<typeof ReadResp> {
  const checkpoint = new ReadResp.Checkpoint()
    .setCommitPosition(event.commitPosition.toString())
    .setPreparePosition(event.preparePosition.toString());
  return new ReadResp().setCheckpoint(checkpoint);
}

export function caughtUpMessage(): InstanceType<typeof ReadResp> {
  return new ReadResp().setCaughtUp(new ReadResp.CaughtUp());
}

export function streamNotFoundMessage(streamName: string): InstanceType<typeof ReadResp> {
  return new ReadResp().setStreamNotFound(
    new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(streamName)),
  );
}

export const empty = () => new Empty();

function uuidMessage(id: string, format: UuidFormat): InstanceType<typeof UUID> {
  if (format !== STRUCTURED) return new UUID().setString(id);
  const bytes = Buffer.from(id.replaceAll('-', ''), 'hex');
  const structured = new UUID.Structured()
    .setMostSignificantBits(bytes.readBigInt64BE(0).toString())
    .setLeastSignificantBits(bytes.readBigInt64BE(8).toString());
  return new UUID().setStructured(structured);
}
