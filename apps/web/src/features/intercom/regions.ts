import type { Region } from '@messenger-vault/contracts';

export const REGION_NAMES: Readonly<Record<Region, string>> = {
  us: 'United States',
  eu: 'Europe',
  au: 'Australia',
};
