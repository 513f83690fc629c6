import http from 'node:http';
import https from 'node:https';
import { isPublicAddress, parseIpAddress } from '../domain/public-address.js';
import { NonPublicAddressError, publicLookup } from './http-get.js';

/** The receiver did not answer (status line and headers) within the timeout. */
export class WebhookTimeoutError extends Error {
  override readonly name = 'WebhookTimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

export interface WebhookPostOptions {
  timeoutMs: number;
  /** Refuse loopback, private and link-local targets, checked on the address connected to. */
  publicOnly: boolean;
  /** Connections kept open to the receiver. */
  maxSockets: number;
}

/** Most bytes of a reply read (and dropped) to keep its connection for the next delivery; past it, it is closed. */
const maxDrainedBytes = 64 * 1024;

/**
 * POSTs webhook deliveries to one receiver over kept-alive connections, and answers the status code. Redirects
 * are not followed (a 3xx is just not a 2xx). The answer counts once its status line arrives within the timeout;
 * the reply's body is read no further than `maxDrainedBytes` (a 10 MB reply is cut there, its connection
 * closed). With `publicOnly`, the address a host name resolves to is checked when connecting (no DNS rebinding
 * between a check and the connection), and a literal address before.
 */
export function createWebhookPoster(options: WebhookPostOptions) {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  return {
    post(url: URL, headers: Record<string, string>, body: string): Promise<number> {
      if (options.publicOnly) assertPublicLiteral(url);
      const client = url.protocol === 'https:' ? https : http;
      return new Promise<number>((resolve, reject) => {
        const request = client.request(url, {
          method: 'POST',
          agent: url.protocol === 'https:' ? agents['https:'] : agents['http:'],
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
          ...(options.publicOnly ? { lookup: publicLookup } : {}),
        });
        const timer = setTimeout(
          () => request.destroy(new WebhookTimeoutError(options.timeoutMs)),
          options.timeoutMs,
        );
        request.on('response', (response) => {
          clearTimeout(timer);
          resolve(response.statusCode ?? 0);
          drain(response, options.timeoutMs);
        });
        request.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        request.end(body);
      });
    },
    close(): void {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

export type WebhookPoster = ReturnType<typeof createWebhookPoster>;

/** Reads a reply to its end if it is short and quick, so its connection serves again; otherwise closes it. */
function drain(response: http.IncomingMessage, timeoutMs: number): void {
  let bytes = 0;
  const timer = setTimeout(() => response.destroy(), timeoutMs);
  response.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > maxDrainedBytes) response.destroy();
  });
  response.on('close', () => clearTimeout(timer));
  response.on('error', () => clearTimeout(timer));
}

function assertPublicLiteral(url: URL): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (parseIpAddress(host) && !isPublicAddress(host)) throw new NonPublicAddressError(host, host);
}
