import { INTERCOM_APP_HOSTS, type Region } from './region';

export const APP_ID_MIN_LENGTH = 4;
export const APP_ID_MAX_LENGTH = 32;
/** Longer than any Intercom page address; longer pastes are refused before any pattern runs. */
export const APP_ID_INPUT_MAX_LENGTH = 2048;

export type AppIdProblemCode =
  | 'empty'
  | 'invalid_url'
  | 'not_http_url'
  | 'other_host'
  | 'no_app_id_in_path'
  | 'bad_characters'
  | 'uppercase'
  | 'too_short'
  | 'too_long';

export type AppIdResult =
  | {
      ok: true;
      appId: string;
      region: Region;
      /** `default` when a bare APP_ID was given: it names no region, so `us` is assumed. */
      regionFrom: 'url' | 'default';
    }
  | { ok: false; code: AppIdProblemCode; message: string };

type Refusal = Extract<AppIdResult, { ok: false }>;

const WHERE_TO_FIND =
  'Copy it from the address bar of any Intercom page (the code after /a/apps/ or /a/inbox/), ' +
  'or from Settings > Installation > Web in Intercom.';

const ID_KEYWORDS = new Set(['apps', 'inbox']);

/**
 * Reads an APP_ID from what a tenant admin pasted: the bare id, or the address of any page of
 * Intercom's web app (`/a/apps/<id>/...` or `/a/inbox/<id>/...`, on a US, EU or AU host).
 *
 * Uppercase ids are refused, not lowercased: Intercom's ids are all lowercase, so capitals mean
 * the id was retyped by hand, and a retyped id may hold other slips (0/o, 1/l) that lowercasing
 * would hide until the Messenger silently fails to load. The message offers the lowercase form.
 */
export function parseAppId(input: string): AppIdResult {
  const text = typeof input === 'string' ? input.trim() : '';
  if (text.length > APP_ID_INPUT_MAX_LENGTH) {
    return refuse(
      'too_long',
      `That is ${text.length} characters, longer than any Intercom address (at most ${APP_ID_INPUT_MAX_LENGTH}). ` +
        'If you pasted your Secret Key, it goes in the next step, not here. ' +
        WHERE_TO_FIND,
    );
  }
  if (text === '') {
    return refuse('empty', `Paste your Intercom APP_ID or the address of an Intercom page. ${WHERE_TO_FIND}`);
  }
  if (!looksLikeAddress(text)) {
    return checkId(text, 'us', 'default');
  }

  const url = toUrl(text);
  if (!(url instanceof URL)) return url;

  const host = url.hostname.replace(/\.$/, '');
  const region = INTERCOM_APP_HOSTS[host];
  if (region === undefined) return refuse('other_host', otherHostMessage(host));

  const [area, keyword, id] = url.pathname.split('/').filter((segment) => segment !== '');
  if (area?.toLowerCase() !== 'a' || keyword === undefined || !ID_KEYWORDS.has(keyword.toLowerCase()) || !id) {
    return refuse(
      'no_app_id_in_path',
      'This Intercom address does not contain an APP_ID: it comes right after /a/apps/ or /a/inbox/, ' +
        'as in https://app.intercom.com/a/inbox/xyz123/inbox/admin. ' +
        'Open a page inside your workspace and copy its address, or paste the APP_ID itself.',
    );
  }
  if (id === '_') {
    return refuse(
      'no_app_id_in_path',
      'This link uses "_" in place of the APP_ID (a shortcut that works for any workspace). ' +
        'Open it while signed in to Intercom, then copy the address from the address bar, or paste the APP_ID itself.',
    );
  }
  return checkId(decodeSegment(id), region, 'url');
}

// So that "xyz%20123" is reported as containing a space, the way the person sees it.
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// A bare id never contains these; anything that does is treated as an address.
function looksLikeAddress(text: string): boolean {
  return /[/:?#]/.test(text) || /^app\./i.test(text) || /intercom\.(com|io)/i.test(text);
}

function toUrl(text: string): URL | Refusal {
  let candidate = text;
  if (candidate.startsWith('//')) {
    candidate = `https:${candidate}`;
  } else if (!/^[a-z][a-z0-9+.-]*:/i.test(candidate) || /^[^/:]+:\d/.test(candidate)) {
    // No scheme, or "host:port/..." whose "host:" only looks like one.
    candidate = `https://${candidate}`;
  }

  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return refuse(
      'invalid_url',
      `This is not a web address we can read. Paste the full address of an Intercom page or just the APP_ID. ${WHERE_TO_FIND}`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return refuse(
      'not_http_url',
      `This is a "${clip(url.protocol.slice(0, -1), 20)}:" link, not a web address. ` +
        'Paste an https:// address of an Intercom page, or just the APP_ID.',
    );
  }
  return url;
}

function otherHostMessage(host: string): string {
  const named = `"${clip(host, 60)}"`;
  if (/(^|\.)intercom\.(com|io)$/.test(host) || host === 'intercom.help') {
    return (
      `${named} is an Intercom site, but not your workspace. Sign in at app.intercom.com ` +
      '(or app.eu.intercom.com / app.au.intercom.com) and copy the address of any page, or paste the APP_ID.'
    );
  }
  return (
    `${named} is not an Intercom address. Paste an address from app.intercom.com, app.eu.intercom.com ` +
    'or app.au.intercom.com, or just the APP_ID.'
  );
}

function checkId(id: string, region: Region, regionFrom: 'url' | 'default'): AppIdResult {
  // Length first, and without echoing the input: a long paste here is often the Secret Key.
  if (id.length > APP_ID_MAX_LENGTH) {
    return refuse(
      'too_long',
      `That is ${id.length} characters, but an APP_ID has at most ${APP_ID_MAX_LENGTH} (it looks like abc12345). ` +
        'If you pasted your Secret Key, it goes in the next step, not here. ' +
        WHERE_TO_FIND,
    );
  }
  const offending = [...new Set(id.replace(/[A-Za-z0-9]/g, ''))];
  if (offending.length > 0) {
    return refuse(
      'bad_characters',
      `An APP_ID has only lowercase letters and digits, but this one contains ${describeChars(offending)}. ` +
        WHERE_TO_FIND,
    );
  }
  if (/[A-Z]/.test(id)) {
    return refuse(
      'uppercase',
      'Intercom APP_IDs are all lowercase, but this one has capital letters, so it was probably retyped. ' +
        `Copy it again rather than typing it; if it is right apart from the capitals, it is "${id.toLowerCase()}".`,
    );
  }
  if (id.length < APP_ID_MIN_LENGTH) {
    return refuse(
      'too_short',
      `"${id}" is too short for an APP_ID (at least ${APP_ID_MIN_LENGTH} characters, like abc12345); ` +
        `part of it may be missing. ${WHERE_TO_FIND}`,
    );
  }
  return { ok: true, appId: id, region, regionFrom };
}

function describeChars(chars: string[]): string {
  const named = chars.slice(0, 3).map((char) => {
    if (char === ' ') return 'a space';
    if (/\s/.test(char)) return 'a line break or tab';
    return JSON.stringify(char);
  });
  if (chars.length > named.length) return `${named.join(', ')} and other characters`;
  return named.length === 1 ? `${named[0]}` : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function refuse(code: AppIdProblemCode, message: string): Refusal {
  return { ok: false, code, message };
}
