/** A short duration for people: "12 s", "5 min", "3 h", "2 d". */
export function shortDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

/** A Unix time in seconds as the user's local date and time. */
export const localTime = (unixSeconds: number, language: string) =>
  new Date(unixSeconds * 1000).toLocaleString(language, { dateStyle: 'short', timeStyle: 'short' });
