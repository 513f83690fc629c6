import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers that did not count (wrong status or body), and connection errors and timeouts. */
  failed: number;
}

/**
 * Runs autocannon against `url` for `seconds` with `connections`, building each request with `next`; a
 * response counts when `accept` says so.
 */
export async function runLoad(options: {
  target: { url: string; token: string };
  /** The load: 50 connections for 10 s. */
  connections?: number;
  seconds?: number;
  next: () => { method: 'GET' | 'POST'; path: string; body?: unknown };
  accept: (status: number, body: string) => boolean;
}): Promise<LoadResult> {
  const { target, connections = 50, seconds = 10 } = options;
  let accepted = 0;
  let rejected = 0;
  const result = await autocannon({
    url: target.url,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          const { method, path, body } = options.next();
          return { ...request, method, path, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
        },
        onResponse: (status, body) => {
          if (options.accept(status, body)) accepted++;
          else rejected++;
        },
      },
    ],
  });
  return {
    requestsPerSecond: Math.round(accepted / seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failed: rejected + result.errors + result.timeouts,
  };
}
