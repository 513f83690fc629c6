export interface GatewayReply {
  status: number;
  body: Record<string, unknown>;
}

export interface CallerOptions {
  /** Gives up on a reply after this long. */
  timeoutMs?: number;
  /** A process that cannot be reached (killed, timed out) answers status 0 instead of throwing. */
  unreachableAsZero?: boolean;
}

/**
 * A caller of a gateway process's API with one token: `call(url, method, path, body?, headers?)` answers the
 * status and the JSON body (empty when there is none).
 */
export function gatewayCaller(token: string, options: CallerOptions = {}) {
  const call = async (
    url: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<GatewayReply> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(options.timeoutMs ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  if (!options.unreachableAsZero) return call;
  return (...args: Parameters<typeof call>): Promise<GatewayReply> =>
    call(...args).catch(() => ({ status: 0, body: {} }));
}
