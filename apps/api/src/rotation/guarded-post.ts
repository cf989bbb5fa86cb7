import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress } from './private-address';

export class PrivateAddressRefused extends Error {
  readonly code = 'EPRIVATEADDRESS';
}

/**
 * A DNS lookup for the connection itself that refuses private and local answers. Checking a name
 * first and connecting later would let a name that changes its answer in between (DNS rebinding)
 * reach an internal service; here the address checked is the address connected to.
 */
export function privateAddressGuard(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      const list = addresses as unknown as LookupAddress[];
      if (err) return (callback as (e: Error) => void)(err);
      if (list.some((a) => isPrivateAddress(a.address))) {
        return (callback as (e: Error) => void)(
          new PrivateAddressRefused(`${hostname} resolves to a private or local address`),
        );
      }
      if ((options as { all?: boolean }).all) return (callback as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0]!;
      return (callback as (e: null, a: string, f: number) => void)(null, first.address, first.family);
    });
  };
}

export interface PostResult {
  status: number;
}

/**
 * POSTs a body and resolves with the status; the answer's body is drained unread. With `guard`,
 * connections to private or local addresses are refused (IP-literal hosts are checked before).
 */
export function guardedPost(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { signal: AbortSignal; guard: boolean },
): Promise<PostResult> {
  const target = new URL(url);
  if (options.guard && isPrivateAddress(target.hostname)) {
    return Promise.reject(new PrivateAddressRefused(`${target.hostname} is a private or local address`));
  }
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        signal: options.signal,
        ...(options.guard ? { lookup: privateAddressGuard() } : {}),
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
