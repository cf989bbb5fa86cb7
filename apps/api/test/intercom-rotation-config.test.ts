import { ConfigError, loadConfig } from '../src/config/config';

// The crash tests' kill switch must be impossible to turn on outside NODE_ENV=test.
test('TEST_CRASH_POINTS is refused at start unless NODE_ENV=test (production included), and honoured in test', () => {
  const problems = (() => {
    try {
      loadConfig({ NODE_ENV: 'production', TEST_CRASH_POINTS: 'after_create' });
      return [];
    } catch (err) {
      return (err as ConfigError).message.split('\n');
    }
  })();
  expect(problems.some((line) => line.includes('TEST_CRASH_POINTS: is for the crash tests only'))).toBe(true);

  expect(() => loadConfig({ NODE_ENV: 'development', TEST_CRASH_POINTS: 'after_create' })).toThrow(/TEST_CRASH_POINTS/);
  expect(loadConfig({ NODE_ENV: 'development' }).testCrashPoints).toEqual([]);
  expect(loadConfig({ NODE_ENV: 'test', TEST_CRASH_POINTS: 'after_create, during_delete' }).testCrashPoints).toEqual([
    'after_create',
    'during_delete',
  ]);
});
