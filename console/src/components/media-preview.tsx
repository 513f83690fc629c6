import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api-client.js';
import { useTexts } from '../i18n-context.js';
import type { Message } from '../types.js';

type Media = NonNullable<Message['media']>;

/** An image shown in place; other media named, opened on demand. Fetched with the token, from the media endpoint. */
export function MediaPreview({ api, media }: { api: ApiClient; media: Media }) {
  const t = useTexts();
  const [objectUrl, setObjectUrl] = useState<string | null>(null);
  const isImage = media.mimetype.startsWith('image/');
  const label = media.caption ?? media.fileName ?? t.media;

  useEffect(() => {
    if (!isImage || !media.url) return;
    let url: string | null = null;
    let current = true;
    api
      .mediaUrl(media.url)
      .then((made) => {
        url = made;
        if (current) setObjectUrl(made);
        else URL.revokeObjectURL(made);
      })
      .catch(() => undefined);
    return () => {
      current = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [api, media.url, isImage]);

  const open = () => {
    if (!media.url) return;
    void api.mediaUrl(media.url).then((url) => {
      const link = document.createElement('a');
      link.href = url;
      link.download = media.fileName ?? 'media';
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });
  };

  return (
    <div class="media">
      {objectUrl ? (
        <img src={objectUrl} alt={label} class="media-image" />
      ) : (
        <p>
          {media.fileName ?? media.mimetype}
          {media.url && (
            <button type="button" class="link" onClick={open}>
              {t.download}
            </button>
          )}
        </p>
      )}
      {media.caption && <p class="caption">{media.caption}</p>}
    </div>
  );
}
