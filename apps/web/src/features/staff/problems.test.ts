import { PROBLEM_CODES, problemBadges, problemLabel } from './problems';

test('every problem the API knows has a filter chip', () => {
  expect([...PROBLEM_CODES].sort()).toEqual(
    [
      'intercom_connection_broken',
      'legacy_hmac',
      'no_app_id',
      'no_secret',
      'platform_no_traffic',
      'platform_off',
      'rotation_due_soon',
      'rotation_overdue',
      'ttl_under_update_throttle',
    ].sort(),
  );
});

test('badges name the platforms a problem is about, one badge per kind of problem', () => {
  expect(problemLabel('platform_off')).toBe('Platform off');
  expect(problemLabel('rotation_overdue')).toBe('Rotation overdue');
  expect(
    problemBadges([
      { code: 'platform_off', severity: 'error', message: 'Off for Web', platform: 'web' },
      { code: 'platform_off', severity: 'error', message: 'Off for Android', platform: 'android' },
      { code: 'legacy_hmac', severity: 'warning', message: 'HMAC' },
      { code: 'no_secret', severity: 'error', message: 'No key' },
    ]).map((badge) => [badge.key, badge.label, badge.color]),
  ).toEqual([
    ['platform_off', 'Platform off · Web, Android', 'orange'],
    ['legacy_hmac', 'Legacy HMAC', 'orange'],
    ['no_secret', 'No secret', 'red'],
  ]);
});
