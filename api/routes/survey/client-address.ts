// The client address of a survey request, for its rate limits: the socket's peer, looked
// through the trusted proxies (services/client-address.ts).
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { clientAddressResolver } from '../../services/client-address.ts';

/** The socket's peer; absent when not served over a socket. */
function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

export function requestAddress(
  trustedProxies: readonly string[],
): (c: Context) => string | undefined {
  const clientAddress = clientAddressResolver(trustedProxies);
  return (c) => clientAddress(peerAddress(c), c.req.header('x-forwarded-for'));
}
