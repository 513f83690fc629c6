import { useEffect, useState } from 'preact/hooks';
import { mediaEndpoint, type ApiClient } from '../api-client.js';
import { useTexts } from '../i18n-context.js';
import type { Message } from '../types.js';

type Media = NonNullable<Message['media']>;
type Kind = 'image' | 'audio' | 'video' | 'document';

/** Media up to this size loads with the message; larger video and documents when asked (a click). */
const loadAtOnceBytes = 5 * 1024 * 1024;

const kindOf = (mimetype: string): Kind => {
  const top = mimetype.split('/')[0];
  return top === 'image' || top === 'audio' || top === 'video' ? top : 'document';
};

/**
 * A message's media from the media endpoint, fetched with the token in the Authorization header (an `src` URL
 * could only carry it in the URL, which ends up in logs) and shown through an object URL: images in place, audio
 * and video in players, anything else as a link that saves the file.
 */
export function MediaPreview({ api, media }: { api: ApiClient; media: Media }) {
  const t = useTexts();
  const [objectUrl, setObjectUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const kind = kindOf(media.mimetype);
  const url = mediaEndpoint(media.url);
  const name = media.fileName ?? media.caption ?? media.mimetype;
  const small = media.size !== null && media.size <= loadAtOnceBytes;
  const [wanted, setWanted] = useState(kind === 'image' || kind === 'audio' || small);

  useEffect(() => {
    setObjectUrl(null);
    if (!url || !wanted) return;
    let made: string | null = null;
    let current = true;
    api
      .mediaUrl(url)
      .then((objectUrl) => {
        made = objectUrl;
        if (current) setObjectUrl(objectUrl);
        else URL.revokeObjectURL(objectUrl);
      })
      .catch((failure: Error) => current && setFailed(t.failed(failure.message)));
    return () => {
      current = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [api, url, wanted]);

  return (
    <div class="media">
      {objectUrl && kind === 'image' && (
        <img src={objectUrl} alt={media.caption ?? media.fileName ?? t.media} class="media-image" />
      )}
      {objectUrl && kind === 'audio' && (
        <audio src={objectUrl} controls preload="metadata" aria-label={t.mediaPreview(name)} />
      )}
      {objectUrl && kind === 'video' && (
        <video
          src={objectUrl}
          controls
          preload="metadata"
          class="media-image"
          aria-label={t.mediaPreview(name)}
        />
      )}
      {objectUrl && kind === 'document' ? (
        <p>
          <a href={objectUrl} download={media.fileName ?? 'media'} class="document-link">
            {name}
          </a>
          {media.size !== null && <span class="help"> · {Math.ceil(media.size / 1024)} kB</span>}
        </p>
      ) : (
        !objectUrl && (
          <p class="help">
            {name}
            {url && !wanted && (
              <button type="button" class="link" onClick={() => setWanted(true)}>
                {t.download}
              </button>
            )}
          </p>
        )
      )}
      {media.downloadError && <p class="help">{media.downloadError}</p>}
      {media.caption && <p class="caption">{media.caption}</p>}
      {failed && (
        <p role="alert" class="error">
          {failed}
        </p>
      )}
    </div>
  );
}
