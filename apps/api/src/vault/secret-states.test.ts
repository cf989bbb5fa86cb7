import fc from 'fast-check';
import { PLATFORMS, type Platform } from '@messenger-vault/intercom';
import { signerByPlatform, signingPlatforms, supersededVersions, type VersionPlatforms } from './secret-states';

const v = (version: number, platforms: Platform[], state: VersionPlatforms['state'] = 'active'): VersionPlatforms => ({
  version,
  platforms,
  state,
});

test('the newest active version serving a platform signs for it', () => {
  const versions = [v(1, ['web', 'ios', 'android']), v(2, ['ios'])];
  expect(signerByPlatform(versions)).toEqual(
    new Map([
      ['ios', 2],
      ['web', 1],
      ['android', 1],
    ]),
  );
  expect(signingPlatforms(versions).get(1)).toEqual(['web', 'android']);
  expect(supersededVersions(versions)).toEqual([]);
});

test('an active version replaced on every platform it served is superseded', () => {
  const versions = [v(1, ['web', 'ios']), v(2, ['web']), v(3, ['ios', 'android'])];
  expect(supersededVersions(versions)).toEqual([1]);
  expect(signingPlatforms(versions).get(3)).toEqual(['ios', 'android']);
});

test('previous and retired versions never sign, even where nothing newer serves the platform', () => {
  const versions = [v(1, ['android'], 'previous'), v(2, ['web'], 'retired'), v(3, ['ios'])];
  expect(signerByPlatform(versions)).toEqual(new Map([['ios', 3]]));
});

test('whatever the history, each platform has at most one signer and it is the newest active one serving it', () => {
  const platformSet = fc.subarray([...PLATFORMS], { minLength: 1 });
  fc.assert(
    fc.property(fc.array(platformSet, { minLength: 1, maxLength: 12 }), (history) => {
      const versions = history.map((platforms, i) => v(i + 1, platforms));
      const signers = signerByPlatform(versions);
      for (const platform of PLATFORMS) {
        const newest = [...versions].reverse().find((x) => x.platforms.includes(platform));
        expect(signers.get(platform)).toBe(newest?.version);
      }
      // The newest version always signs for everything it serves, so it is never superseded.
      expect(supersededVersions(versions)).not.toContain(versions.length);
      for (const superseded of supersededVersions(versions)) {
        expect([...signers.values()]).not.toContain(superseded);
      }
    }),
  );
});
