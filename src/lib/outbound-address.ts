import dns from 'node:dns';
import net from 'node:net';
import type { LookupFunction } from 'node:net';

/**
 * Where the server may send a request a user chose the address of (a mailer's webhook): never to
 * the machine itself, its private network, link-local addresses (cloud metadata at
 * 169.254.169.254) or other special-purpose ranges, unless the setting allows it (a test's local
 * receiver, a webhook on a private network by design). The check is made on the address the
 * connection uses (a lookup function for http.request), so a name that resolves to a public
 * address when checked and to a private one when connecting gets nowhere.
 */
const SPECIAL = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  SPECIAL.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  SPECIAL.addSubnet(network, prefix, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), -compatible or NAT64 IPv6 address. */
function embeddedIpv4(address: string): string | undefined {
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  const [high, low] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** True for an address on the public internet; false for loopback, private, link-local and other special ranges. */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) return !SPECIAL.check(v4, 'ipv4');
    return !SPECIAL.check(address, 'ipv6');
  }
  return !SPECIAL.check(address, 'ipv4');
}

/** A refused destination: the message says which address and why. */
export class RefusedAddressError extends Error {
  readonly code = 'REFUSED_ADDRESS';
}

function refusal(host: string, address: string): RefusedAddressError {
  return new RefusedAddressError(
    `${host === address ? address : `${host} resolves to ${address}, which`} is a loopback, private, link-local or other non-public address; webhooks are sent only to public addresses (WEBHOOK_ALLOW_PRIVATE=true allows others)`,
  );
}

/** Resolves a host name (or takes an IP literal) and refuses it unless every address is public, or private ones are allowed. */
export async function checkHost(host: string, allowPrivate: boolean): Promise<void> {
  const bare = host.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(bare) ? [bare] : (await dns.promises.lookup(bare, { all: true, verbatim: true })).map((entry) => entry.address);
  if (allowPrivate) return;
  const refused = addresses.find((address) => !isPublicAddress(address));
  if (refused) throw refusal(bare, refused);
}

/**
 * A lookup function for http.request that connects only to a public address (or any, when
 * private ones are allowed): the address checked is the one the socket connects to.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as dns.LookupAddress[];
      const usable = allowPrivate ? list : list.filter((entry) => isPublicAddress(entry.address));
      if (usable.length === 0) return callback(refusal(hostname, list[0]?.address ?? 'no address') as NodeJS.ErrnoException, '', 0);
      if ((options as dns.LookupOptions).all) return callback(null, usable as unknown as string);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}
