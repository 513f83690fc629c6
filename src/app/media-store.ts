export interface StoredMedia {
  data: Buffer;
  mimetype: string;
  fileName: string | null;
}

/** Where files to be sent as media are kept until (and after) they are sent. */
export interface MediaStore {
  /** Keeps a file and answers where it is (what events record as `media.location`). */
  save(sessionId: string, file: StoredMedia): Promise<{ location: string; size: number }>;
  read(location: string): Promise<StoredMedia>;
}

export class MediaNotFoundError extends Error {
  override readonly name = 'MediaNotFoundError';

  constructor(readonly location: string) {
    super(`No media file is kept at ${location}`);
  }
}
