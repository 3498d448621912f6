import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { guardedLookup, isPublicAddress, RefusedAddressError } from '../../lib/outbound-address';

/**
 * POSTs a JSON body and resolves with the HTTP status (any status: the caller decides what is a
 * delivery); rejects when there is no answer (refused address, connection refused, timeout).
 * Redirects are not followed. The answer's body is read and dropped.
 */
export function postJson(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: { allowPrivate: boolean; timeoutMs: number },
): Promise<number> {
  const url = new URL(target);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // An address written as an IP is connected to without a lookup: checked here.
  if (net.isIP(host) && !options.allowPrivate && !isPublicAddress(host)) {
    return Promise.reject(new RefusedAddressError(`${host} is a loopback, private, link-local or other non-public address; webhooks are sent only to public addresses (WEBHOOK_ALLOW_PRIVATE=true allows others)`));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'User-Agent': 'mailpref-webhook/1', ...headers },
        lookup: guardedLookup(options.allowPrivate),
      },
      (response) => {
        response.resume();
        response.on('error', () => undefined);
        resolve(response.statusCode ?? 0);
      },
    );
    request.setTimeout(options.timeoutMs, () => request.destroy(new Error(`no answer within ${options.timeoutMs / 1000} s`)));
    request.on('error', reject);
    request.end(body);
  });
}
