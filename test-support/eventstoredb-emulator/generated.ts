// The client's generated modules are CommonJS with only a default export under ESM; this file unwraps them once.
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import streamsGrpcPb from '@eventstore/db-client/generated/streams_grpc_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';

export const { AppendReq, AppendResp, ReadReq, ReadResp } = streamsPb;
export const { Empty, StreamIdentifier, UUID } = sharedPb;
export const { StreamsService } = streamsGrpcPb;
