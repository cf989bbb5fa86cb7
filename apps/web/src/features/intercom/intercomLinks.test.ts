import type { Region } from '@messenger-vault/contracts';
import { intercomSettingsUrl } from './intercomLinks';

describe("links to Intercom's settings open the APP_ID's own workspace in its region", () => {
  test.each([
    ['us', 'https://app.intercom.com'],
    ['eu', 'https://app.eu.intercom.com'],
    ['au', 'https://app.au.intercom.com'],
  ] as Array<[Region, string]>)('%s links go to %s', (region, host) => {
    expect(intercomSettingsUrl('abc12345', region, 'security')).toBe(
      `${host}/a/apps/abc12345/settings/channels/messenger/security`,
    );
    expect(intercomSettingsUrl('abc12345', region, 'install')).toBe(
      `${host}/a/apps/abc12345/settings/channels/messenger/install`,
    );
  });

  test('without an APP_ID there is no link rather than one into no workspace', () => {
    expect(intercomSettingsUrl(null, 'eu', 'security')).toBeNull();
    expect(intercomSettingsUrl('', 'eu', 'install')).toBeNull();
  });
});
