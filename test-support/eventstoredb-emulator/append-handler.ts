import { status, type sendUnaryData, type ServerReadableStream } from '@grpc/grpc-js';
import type { AppendOutcome, EventLog, ExpectedStreamState, ProposedEvent } from './event-log.js';
import { AppendResp, type AppendReq } from './generated.js';
import { empty, uuidFromMessage } from './messages.js';

type AppendCall = ServerReadableStream<InstanceType<typeof AppendReq>, InstanceType<typeof AppendResp>>;
type AppendOptions = InstanceType<typeof AppendReq.Options>;
type Reply = sendUnaryData<InstanceType<typeof AppendResp>>;

class BadAppendError extends Error {
  override readonly name = 'BadAppendError';
}

/**
 * `Streams.Append`: one options message, then the proposed messages, written atomically when the client ends
 * the call. As on the server, a refused expected revision is a normal response body, not a gRPC error.
 */
export function createAppendHandler(log: EventLog): (call: AppendCall, reply: Reply) => void {
  return (call, reply) => {
    let options: AppendOptions | undefined;
    const proposed: ProposedEvent[] = [];
    let failure: BadAppendError | undefined;

    call.on('data', (request: InstanceType<typeof AppendReq>) => {
      if (failure) return;
      try {
        if (request.hasOptions() && !options) options = request.getOptions();
        else if (request.hasProposedMessage() && options) proposed.push(toProposedEvent(request));
        else throw new BadAppendError('An append sends its options once, then the proposed messages');
      } catch (error) {
        if (!(error instanceof BadAppendError)) throw error;
        failure = error;
      }
    });
    call.on('end', () => {
      if (!failure && !options) failure = new BadAppendError('An append must start with its options');
      if (failure) return reply({ code: status.INVALID_ARGUMENT, details: failure.message });
      const streamName = Buffer.from(options!.getStreamIdentifier()?.getStreamName_asU8() ?? []).toString(
        'utf8',
      );
      if (streamName === '')
        return reply({ code: status.INVALID_ARGUMENT, details: 'The stream name is empty' });
      reply(null, toResponse(log.append(streamName, expectedState(options!), proposed)));
    });
  };
}

function toProposedEvent(request: InstanceType<typeof AppendReq>): ProposedEvent {
  const message = request.getProposedMessage()!;
  const id = uuidFromMessage(message.getId());
  const type = message.getMetadataMap().get('type');
  const contentType = message.getMetadataMap().get('content-type');
  if (!id) throw new BadAppendError('A proposed message needs an id');
  if (type === undefined || contentType === undefined) {
    throw new BadAppendError('Required metadata properties are missing: type, content-type');
  }
  return {
    id,
    type,
    contentType,
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

function expectedState(options: AppendOptions): ExpectedStreamState {
  if (options.hasRevision()) return BigInt(options.getRevision());
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  return 'any';
}

function toResponse(outcome: AppendOutcome): InstanceType<typeof AppendResp> {
  if (outcome.result === 'success') {
    const success = new AppendResp.Success().setPosition(
      new AppendResp.Position()
        .setCommitPosition(outcome.commitPosition.toString())
        .setPreparePosition(outcome.preparePosition.toString()),
    );
    if (outcome.currentRevision < 0n) success.setNoStream(empty());
    else success.setCurrentRevision(outcome.currentRevision.toString());
    return new AppendResp().setSuccess(success);
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  if (outcome.current === 'no_stream') wrong.setCurrentNoStream(empty());
  else wrong.setCurrentRevision(outcome.current.toString());
  const expected = outcome.expected;
  if (expected === 'any') wrong.setExpectedAny(empty());
  else if (expected === 'no_stream') wrong.setExpectedNoStream(empty());
  else if (expected === 'stream_exists') wrong.setExpectedStreamExists(empty());
  else wrong.setExpectedRevision(expected.toString());
  return new AppendResp().setWrongExpectedVersion(wrong);
}
