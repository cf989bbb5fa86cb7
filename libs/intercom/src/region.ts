/** Intercom hosts each workspace in one of three regions; the Messenger must talk to that one. */
export const REGIONS = ['us', 'eu', 'au'] as const;
export type Region = (typeof REGIONS)[number];

export function isRegion(value: unknown): value is Region {
  return typeof value === 'string' && (REGIONS as readonly string[]).includes(value);
}

const MESSENGER_API_BASES: Readonly<Record<Region, string>> = {
  us: 'https://api-iam.intercom.io',
  eu: 'https://api-iam.eu.intercom.io',
  au: 'https://api-iam.au.intercom.io',
};

/** The `api_base` the web Messenger (`window.intercomSettings`) needs for a workspace's region. */
export function messengerApiBase(region: Region): string {
  return MESSENGER_API_BASES[region];
}

/** Hosts of Intercom's web app, whose URLs hold the APP_ID, and the region each one serves. */
export const INTERCOM_APP_HOSTS: Readonly<Record<string, Region>> = {
  'app.intercom.io': 'us',
  'app.intercom.com': 'us',
  'app.eu.intercom.com': 'eu',
  'app.au.intercom.com': 'au',
};
