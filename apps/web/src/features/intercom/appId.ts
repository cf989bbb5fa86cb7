import type { Region } from '@messenger-vault/contracts';

/**
 * Reads an APP_ID from what an admin pasted, as they type, so the id we will save shows before
 * they press Save. It mirrors the API's parser (libs/intercom `parseAppId`, which the web may
 * not import) rule for rule; `appId.test.ts` runs both on the same inputs to keep them in step.
 * The API stays the authority: on a 400 its message replaces whatever this one said.
 */

export const APP_ID_MIN_LENGTH = 4;
export const APP_ID_MAX_LENGTH = 32;

export type AppIdReading =
  | { ok: true; appId: string; region: Region; regionFrom: 'url' | 'default' }
  | { ok: false; code: AppIdProblem; message: string };

export type AppIdProblem =
  | 'empty'
  | 'invalid_url'
  | 'not_http_url'
  | 'other_host'
  | 'no_app_id_in_path'
  | 'bad_characters'
  | 'uppercase'
  | 'too_short'
  | 'too_long';

/** Intercom's web app hosts, whose addresses hold the APP_ID, and the region each one serves. */
export const INTERCOM_APP_HOSTS: Readonly<Record<string, Region>> = {
  'app.intercom.io': 'us',
  'app.intercom.com': 'us',
  'app.eu.intercom.com': 'eu',
  'app.au.intercom.com': 'au',
};

export const REGION_NAMES: Readonly<Record<Region, string>> = {
  us: 'United States',
  eu: 'Europe',
  au: 'Australia',
};

const FIND_IT =
  'Copy it from the address bar of any Intercom page (the part after /a/apps/ or /a/inbox/), or open Settings > Installation > Web in Intercom.';

export function readAppId(input: string): AppIdReading {
  const text = input.trim();
  if (text === '') return problem('empty', `Paste your APP_ID or the address of an Intercom page. ${FIND_IT}`);
  if (!looksLikeAddress(text)) return checkId(text, 'us', 'default');

  const url = toUrl(text);
  if (!(url instanceof URL)) return url;

  const host = url.hostname.replace(/\.$/, '');
  const region = INTERCOM_APP_HOSTS[host];
  if (region === undefined) return problem('other_host', otherHostMessage(host));

  const [area, keyword, id] = url.pathname.split('/').filter((segment) => segment !== '');
  const keywordOk = keyword !== undefined && ['apps', 'inbox'].includes(keyword.toLowerCase());
  if (area?.toLowerCase() !== 'a' || !keywordOk || !id) {
    return problem(
      'no_app_id_in_path',
      'This Intercom address has no APP_ID in it. The APP_ID follows /a/apps/ or /a/inbox/; open a page inside your workspace and copy its address, or paste the APP_ID itself.',
    );
  }
  if (id === '_') {
    return problem(
      'no_app_id_in_path',
      'This link has "_" where the APP_ID goes. Open it while signed in to Intercom and copy the address you land on, or paste the APP_ID itself.',
    );
  }
  return checkId(decodeSegment(id), region, 'url');
}

function looksLikeAddress(text: string): boolean {
  return /[/:?#]/.test(text) || /^app\./i.test(text) || /intercom\.(com|io)/i.test(text);
}

function toUrl(text: string): URL | Extract<AppIdReading, { ok: false }> {
  let candidate = text;
  if (candidate.startsWith('//')) candidate = `https:${candidate}`;
  else if (!/^[a-z][a-z0-9+.-]*:/i.test(candidate) || /^[^/:]+:\d/.test(candidate)) candidate = `https://${candidate}`;

  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return problem(
      'invalid_url',
      `We can't read this as a web address. Paste a whole Intercom address or the APP_ID. ${FIND_IT}`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return problem(
      'not_http_url',
      'This is not a web address. Paste an https:// address of an Intercom page, or the APP_ID.',
    );
  }
  return url;
}

function otherHostMessage(host: string): string {
  if (/(^|\.)intercom\.(com|io)$/.test(host) || host === 'intercom.help') {
    return `${host} belongs to Intercom but is not your workspace. Sign in at app.intercom.com (or the EU or Australian app) and copy the address of any page there, or paste the APP_ID.`;
  }
  return `${host} is not an Intercom address. Paste an address from app.intercom.com, app.eu.intercom.com or app.au.intercom.com, or the APP_ID.`;
}

function checkId(id: string, region: Region, regionFrom: 'url' | 'default'): AppIdReading {
  // Length first, without echoing the text: a long paste here is often the secret key.
  if (id.length > APP_ID_MAX_LENGTH) {
    return problem(
      'too_long',
      `That is ${id.length} characters; an APP_ID has at most ${APP_ID_MAX_LENGTH}. If you pasted the secret key, it belongs in step 2, not here.`,
    );
  }
  if (/[^A-Za-z0-9]/.test(id)) {
    return problem('bad_characters', `An APP_ID has only lowercase letters and digits. ${FIND_IT}`);
  }
  if (/[A-Z]/.test(id)) {
    return problem(
      'uppercase',
      `APP_IDs are all lowercase, so this one was probably retyped. Copy it from Intercom instead; if only the capitals are wrong, it is "${id.toLowerCase()}".`,
    );
  }
  if (id.length < APP_ID_MIN_LENGTH) {
    return problem(
      'too_short',
      `"${id}" is too short: an APP_ID has at least ${APP_ID_MIN_LENGTH} characters. ${FIND_IT}`,
    );
  }
  return { ok: true, appId: id, region, regionFrom };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function problem(code: AppIdProblem, message: string): Extract<AppIdReading, { ok: false }> {
  return { ok: false, code, message };
}
