/** Longest webhook URL accepted. */
export const maxWebhookUrlLength = 2048;

/**
 * What is wrong with a webhook URL, or undefined when it may be registered (its address is checked apart):
 * only http(s), at most 2,048 characters, and no user name or password in it (they would be sent in clear to
 * whoever the URL points to, and logged by proxies).
 */
export function webhookUrlProblem(text: string): string | undefined {
  if (text.length > maxWebhookUrlLength) return `must be at most ${maxWebhookUrlLength} characters`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (!url.hostname) return 'must name a host';
  return undefined;
}
