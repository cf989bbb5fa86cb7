import type { Region } from '@messenger-vault/contracts';

/** Intercom's web app lives on a per-region host; a US link opens nothing for an EU or AU workspace. */
const APP_HOSTS: Readonly<Record<Region, string>> = {
  us: 'https://app.intercom.com',
  eu: 'https://app.eu.intercom.com',
  au: 'https://app.au.intercom.com',
};

export type IntercomSettingsPage = 'install' | 'security';

export const SETTINGS_PAGE_NAMES: Readonly<Record<IntercomSettingsPage, string>> = {
  install: 'Messenger installation',
  security: 'Messenger Security',
};

/**
 * The Intercom settings page for this workspace, so instructions can link straight to the switch
 * instead of describing menus. Null without an APP_ID: a link into no workspace helps nobody.
 */
export function intercomSettingsUrl(appId: string | null, region: Region, page: IntercomSettingsPage): string | null {
  if (!appId) return null;
  return `${APP_HOSTS[region]}/a/apps/${encodeURIComponent(appId)}/settings/channels/messenger/${page}`;
}
