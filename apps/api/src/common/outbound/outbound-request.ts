import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isLocalhostName, specialUseRange } from './special-use';

/** The resolver the guard asks; node's own (getaddrinfo: /etc/hosts, then DNS) unless a test brings one. */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

export interface OutboundPolicy {
  /** True in production: loopback, private, link-local and every other special-use range are refused. */
  refuseSpecialUse: boolean;
  resolve?: Resolve;
}

export const outboundPolicy = (config: { nodeEnv: string }): OutboundPolicy => ({
  refuseSpecialUse: config.nodeEnv === 'production',
});

/** A tenant-typed address that leads somewhere this server must not call. Never carries the URL's path. */
export class OutboundRefused extends Error {
  readonly code = 'EOUTBOUNDREFUSED';
  constructor(
    readonly host: string,
    readonly range: string,
  ) {
    super(`${host} is a special-use address (${range}); only public addresses may be called`);
    this.name = 'OutboundRefused';
  }
}

const isIpLiteral = (bare: string) => /^[\d.]+$|:/.test(bare);

/** Why `hostname` (a name or an IP literal) is refused before any DNS answer, or null. */
export function refusedHost(hostname: string): string | null {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isLocalhostName(bare)) return 'loopback name';
  return isIpLiteral(bare) ? specialUseRange(bare) : null;
}

/** Every answer for `hostname` is checked; one special-use answer refuses them all. */
export async function resolvePublic(hostname: string, policy: OutboundPolicy): Promise<LookupAddress[]> {
  const addresses = await (policy.resolve ?? systemResolve)(hostname);
  if (policy.refuseSpecialUse) {
    for (const a of addresses) {
      const range = specialUseRange(a.address);
      if (range) throw new OutboundRefused(hostname, range);
    }
  }
  return addresses;
}

/**
 * The lookup the connection itself uses. Checking a name first and connecting later would let a
 * name that changes its answer in between (DNS rebinding) reach an internal service; here the
 * address checked is the address connected to.
 */
export function guardedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    const cb = callback as (err: Error | null, address?: string | LookupAddress[], family?: number) => void;
    resolvePublic(hostname, policy).then(
      (list) => {
        const wanted =
          options.family === 4 || options.family === 6 ? list.filter((a) => a.family === options.family) : list;
        if (wanted.length === 0)
          return cb(Object.assign(new Error(`${hostname} has no usable address`), { code: 'ENOTFOUND' }));
        if (options.all) return cb(null, wanted);
        return cb(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: Error) => cb(err),
    );
  };
}

export interface OutboundInit {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Bytes of the answer's body to keep; a longer body fails the request. 0: drained unread. */
  maxResponseBytes?: number;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * The one way the API calls an address a tenant typed (webhooks, identity provider JWKS).
 * http and https only; redirects are never followed (the answer is returned as it is); with
 * `refuseSpecialUse`, IP-literal hosts are checked before connecting and names at connection time.
 */
export function outboundRequest(
  url: string | URL,
  init: OutboundInit,
  policy: OutboundPolicy,
): Promise<OutboundResponse> {
  const target = new URL(url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    return Promise.reject(new OutboundRefused(target.host, `${target.protocol} scheme`));
  }
  // Sockets skip `lookup` for IP literals, so those are judged here; names (localhost included)
  // are judged by what they resolve to, in guardedLookup.
  const bare = target.hostname.replace(/^\[|\]$/g, '');
  const literal = policy.refuseSpecialUse && isIpLiteral(bare) ? specialUseRange(bare) : null;
  if (literal) return Promise.reject(new OutboundRefused(target.hostname, literal));
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const limit = init.maxResponseBytes ?? 0;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: init.method,
        headers: {
          ...init.headers,
          ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}),
        },
        signal: init.signal,
        lookup: guardedLookup(policy),
        // A proxy from the environment would resolve the name itself, past the guard.
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (limit === 0) return;
          size += chunk.length;
          if (size > limit) {
            res.destroy();
            reject(Object.assign(new Error(`the answer is larger than ${limit} bytes`), { code: 'ETOOLARGE' }));
          } else chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * outboundRequest behind the fetch signature, for libraries that take a custom fetch (jose's
 * `customFetch` for a remote JWKS). Only a 200 answer carries its body.
 */
export function outboundFetch(policy: OutboundPolicy, maxResponseBytes: number) {
  return async (
    url: string,
    options: { method?: string; headers?: ConstructorParameters<typeof Headers>[0]; signal?: AbortSignal | null },
  ) => {
    const res = await outboundRequest(
      url,
      {
        method: options.method === 'POST' ? 'POST' : 'GET',
        headers: Object.fromEntries(new Headers(options.headers).entries()),
        signal: options.signal ?? AbortSignal.timeout(5000),
        maxResponseBytes,
      },
      policy,
    );
    const status = res.status >= 200 && res.status <= 599 ? res.status : 502;
    return new Response(status === 200 ? new Uint8Array(res.body) : null, {
      status,
      headers: { 'content-type': String(res.headers['content-type'] ?? 'application/octet-stream') },
    });
  };
}
