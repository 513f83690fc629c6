/** A stream's decision state as of a revision, kept so that nobody folds a long stream from its start. */
export interface StreamSnapshot {
  revision: bigint;
  /** Which shape of state this is (the stream type's `snapshotVersion`); another version is ignored. */
  version: string;
  state: unknown;
}

export interface SnapshotStore {
  load(streamName: string): Promise<StreamSnapshot | undefined>;
  /** Keeps the snapshot unless a newer one is there already. */
  save(streamName: string, snapshot: StreamSnapshot): Promise<void>;
}
