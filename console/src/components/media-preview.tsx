import { useEffect, useState } from 'preact/hooks';
import { mediaEndpoint, type ApiClient } from '../api-client.js';
import { useTexts } from '../i18n-context.js';
import type { Message } from '../types.js';

type Media = NonNullable<Message['media']>;

/** An image shown in place; other media named, opened on demand. Fetched with the token, from the media endpoint. */
export function MediaPreview({ api, media }: { api: ApiClient; media: Media }) {
  const t = useTexts();
  const [objectUrl, setObjectUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const isImage = media.mimetype.startsWith('image/');
  const url = mediaEndpoint(media.url);
  const label = media.caption ?? media.fileName ?? t.media;

  useEffect(() => {
    if (!isImage || !url) return;
    let made: string | null = null;
    let current = true;
    api
      .mediaUrl(url)
      .then((objectUrl) => {
        made = objectUrl;
        if (current) setObjectUrl(objectUrl);
        else URL.revokeObjectURL(objectUrl);
      })
      // The file name stays, with its link: the preview is a nicety.
      .catch(() => undefined);
    return () => {
      current = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [api, url, isImage]);

  const open = () => {
    if (!url) return;
    api
      .mediaUrl(url)
      .then((objectUrl) => {
        const link = document.createElement('a');
        link.href = objectUrl;
        link.download = media.fileName ?? 'media';
        link.click();
        setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
      })
      .catch((failure: Error) => setFailed(t.failed(failure.message)));
  };

  return (
    <div class="media">
      {objectUrl ? (
        <img src={objectUrl} alt={label} class="media-image" />
      ) : (
        <p>
          {media.fileName ?? media.mimetype}
          {url && (
            <button type="button" class="link" onClick={open}>
              {t.download}
            </button>
          )}
        </p>
      )}
      {media.caption && <p class="caption">{media.caption}</p>}
      {failed && (
        <p role="alert" class="error">
          {failed}
        </p>
      )}
    </div>
  );
}
