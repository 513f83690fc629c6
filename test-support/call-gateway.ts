export interface GatewayReply {
  status: number;
  body: Record<string, unknown>;
}

/**
 * A caller of a gateway process's API with one token: `call(url, method, path, body?, headers?)` answers the
 * status and the JSON body (empty when there is none).
 */
export function gatewayCaller(token: string) {
  return async (
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
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
}
