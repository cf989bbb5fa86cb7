import {
  describeSeconds,
  reminderLeadError,
  rotationPeriodError,
  secretKeyError,
  secretPlatformsError,
  testUserIdError,
  tokenTtlError,
  tokenTtlThrottleWarning,
} from './setupRules';

// Each boundary is the API's (UpdateSettingsDto, SaveSecretDto, TestTokenDto, parseTokenRequest):
// a value accepted here must be accepted there, and the other way round.
describe('the wizard refuses what the API refuses, before a round trip', () => {
  test('token lifetime: whole seconds from 60 to 86,400', () => {
    expect(tokenTtlError(60)).toBeNull();
    expect(tokenTtlError(86_400)).toBeNull();
    expect(tokenTtlError(59)).toBe('A token must last at least 60 seconds (one minute).');
    expect(tokenTtlError(86_401)).toBe('A token may last at most 86,400 seconds (one day); shorter is safer.');
    expect(tokenTtlError(90.5)).toBe('Use a whole number of seconds.');
    expect(tokenTtlError('')).toBe('Enter how long a token lasts, in seconds.');
  });

  test("token lifetime under 120 s: saved, but warned about Intercom's update throttle (as the API's setup state)", () => {
    expect(tokenTtlThrottleWarning(60)).toBe(
      'Intercom accepts about 20 web Messenger updates per 30 minutes, so the token client sends a fresh token at most every 100 seconds. A 60-second token expires before the next one arrives and the web Messenger fails in between: use at least 120 seconds.',
    );
    expect(tokenTtlThrottleWarning('119')).toMatch(/A 119-second token expires/);
    expect(tokenTtlThrottleWarning(120)).toBeNull();
    expect(tokenTtlThrottleWarning(3600)).toBeNull();
    // Invalid values get the error, not this warning on top.
    expect(tokenTtlThrottleWarning(59)).toBeNull();
    expect(tokenTtlThrottleWarning('')).toBeNull();
  });

  test('rotation period: whole days from 1 to 365', () => {
    expect(rotationPeriodError(1)).toBeNull();
    expect(rotationPeriodError(365)).toBeNull();
    expect(rotationPeriodError(0)).toMatch(/every 1 day or more/);
    expect(rotationPeriodError(366)).toMatch(/at least once a year/);
  });

  test('reminder lead: 1 to 60 days, and fewer than the rotation period', () => {
    expect(reminderLeadError(14, 90)).toBeNull();
    expect(reminderLeadError(60, 61)).toBeNull();
    expect(reminderLeadError(0, 90)).toMatch(/at least 1 day/);
    expect(reminderLeadError(61, 365)).toBe('Remind at most 60 days ahead.');
    expect(reminderLeadError(30, 30)).toBe('Reminders must start fewer days ahead than the rotation period (30 days).');
    // An invalid period gets its own message; the lead isn't blamed for it.
    expect(reminderLeadError(30, 0)).toBeNull();
  });

  test('secret key: 16–512 printable ASCII characters once trimmed, nothing blank inside', () => {
    expect(secretKeyError('  0123456789abcdef  ')).toBeNull();
    expect(secretKeyError('x'.repeat(512))).toBeNull();
    expect(secretKeyError('')).toBe('Paste the Messenger API secret key from Intercom.');
    expect(secretKeyError('short')).toMatch(/16 to 512 characters; this one has 5/);
    expect(secretKeyError('x'.repeat(513))).toMatch(/this one has 513/);
    expect(secretKeyError('0123456789 abcdef')).toMatch(/spaces, tabs or line breaks inside/);
    expect(secretKeyError('0123456789abcdefé')).toMatch(/printable ASCII/);
  });

  test('secret key messages never repeat the key', () => {
    for (const key of ['short', '0123456789 abcdef', 'x'.repeat(600), 'ключ-ключ-ключ-ключ']) {
      expect(secretKeyError(key) ?? '').not.toContain(key);
    }
  });

  test('a key serves at least one platform', () => {
    expect(secretPlatformsError(['web'])).toBeNull();
    expect(secretPlatformsError([])).toBe('Pick at least one platform this key serves.');
  });

  test("test user id: your app's id, never blank, never an email, at most 255 characters", () => {
    expect(testUserIdError('42')).toBeNull();
    expect(testUserIdError('   ')).toMatch(/Enter a user id/);
    expect(testUserIdError('jane@example.com')).toMatch(/That is an email address/);
    expect(testUserIdError('x'.repeat(256))).toBe('A user id has at most 255 characters.');
  });
});

describe('describeSeconds says a lifetime the way a person would', () => {
  test.each([
    [60, '1 minute'],
    [3600, '1 hour'],
    [5400, '1 hour 30 minutes'],
    [86_400, '24 hours'],
    [90, '1 minute 30 seconds'],
  ])('%d s → %s', (seconds, words) => {
    expect(describeSeconds(seconds)).toBe(words);
  });
});
