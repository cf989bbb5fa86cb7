import {
  fromSealedColumns,
  generateKeyring,
  LocalKeyringProvider,
  openSecret,
  parseKeyring,
} from '@messenger-vault/vault';
import { randomUUID } from 'node:crypto';
import { webhookBinding } from '../rotation/webhook-secret';
import { intercomTokenBinding, openIntercomToken, sealIntercomToken } from './intercom-token';

const provider = new LocalKeyringProvider(parseKeyring(generateKeyring({ id: 'k-test' })));
const tenantId = randomUUID();
const id = randomUUID();
const token = 'dG9rOmFjY2Vzcy10b2tlbi1mb3ItdGVzdHM=';

test('an Intercom token opens only under its own binding: its tenant, its connection, its kind', async () => {
  const sealed = await sealIntercomToken(provider, tenantId, id, token);
  const row = {
    id,
    tenant_id: tenantId,
    ciphertext: sealed.ciphertext,
    iv: sealed.iv,
    wrapped_key: sealed.wrappedKey,
    master_key_id: sealed.masterKeyId,
  };
  expect((await openIntercomToken(provider, row)).reveal()).toBe(token);

  // Copied to another tenant or another connection: refused.
  await expect(openIntercomToken(provider, { ...row, tenant_id: randomUUID() })).rejects.toThrow();
  await expect(openIntercomToken(provider, { ...row, id: randomUUID() })).rejects.toThrow();
  // Same ids, another kind of sealed secret (a webhook's, a Messenger secret version's): refused.
  const columns = fromSealedColumns(sealed);
  await expect(openSecret(provider, webhookBinding(tenantId, id), columns)).rejects.toThrow();
  await expect(openSecret(provider, { tenantId, secretId: id, version: 1 }, columns)).rejects.toThrow();
  expect(intercomTokenBinding(tenantId, id).secretId).toBe(`intercom-token:${id}`);
});
