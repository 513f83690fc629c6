/** How long the picture's download from WhatsApp's CDN may take. */
const downloadTimeoutMs = 30_000;
/** A profile picture is a small JPEG; anything larger is not one. */
const maxPictureBytes = 5 * 1024 * 1024;

export class ProfilePictureDownloadError extends Error {
  override readonly name = 'ProfilePictureDownloadError';

  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`The profile picture could not be downloaded: ${reason}`);
  }
}

/**
 * The URL of the full picture in WPPConnect's `getProfilePicFromServer` answer (`ProfilePicThumbObj`: `imgFull`,
 * `img`, `eurl`), or null when the contact has none or hides it (the answer is then empty or carries no URL).
 */
export function profilePictureUrl(answer: unknown): string | null {
  if (!answer || typeof answer !== 'object') return null;
  const thumb = answer as { imgFull?: unknown; img?: unknown; eurl?: unknown };
  for (const url of [thumb.imgFull, thumb.eurl, thumb.img])
    if (typeof url === 'string' && /^https:\/\//.test(url)) return url;
  return null;
}

/** Downloads the picture WhatsApp's servers hold at `url` (the links are signed and expire). */
export async function downloadProfilePicture(url: string, fetchImpl: typeof fetch = fetch): Promise<Buffer> {
  const response = await fetchImpl(url, { signal: AbortSignal.timeout(downloadTimeoutMs) }).catch(
    (error: unknown) => {
      throw new ProfilePictureDownloadError(url, error instanceof Error ? error.message : String(error));
    },
  );
  if (!response.ok) throw new ProfilePictureDownloadError(url, `HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxPictureBytes) throw new ProfilePictureDownloadError(url, `${declared} bytes`);
  const data = Buffer.from(await response.arrayBuffer());
  if (data.length > maxPictureBytes) throw new ProfilePictureDownloadError(url, `${data.length} bytes`);
  return data;
}

/**
 * The name the phone's contact list keeps, from WPPConnect's `getContact` answer (`Contact`): `name` is the
 * address-book name (absent for a number the phone has not saved); `pushname` is what the contact calls
 * itself, which messages carry already, so it is not taken here.
 */
export function contactListName(answer: unknown): string | null {
  if (!answer || typeof answer !== 'object') return null;
  const name = (answer as { name?: unknown }).name;
  return typeof name === 'string' && name.trim().length > 0 ? name.trim() : null;
}
