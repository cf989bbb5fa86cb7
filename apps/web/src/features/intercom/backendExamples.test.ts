import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKEND_EXAMPLES, EXAMPLE_VAULT_URL } from './backendExamples';
import { buildSnippets, snippetValues } from './snippets';

const root = join(__dirname, '../../../../..');
const VAULT_URL = 'https://vault.acme.test';

function backendVariants() {
  const snippets = buildSnippets(
    snippetValues({
      appId: 'abc12345',
      apiBase: 'https://api-iam.intercom.io',
      tenantId: '6f1c0b9e-1111-4222-8333-944455556666',
      vaultUrl: `${VAULT_URL}/`,
      identityMode: 'jwt',
      region: 'us',
    }),
  );
  return snippets.find((s) => s.id === 'backend')!.variants!;
}

describe('the backend examples on the Integration page are the files CI runs', () => {
  test('every language folder under examples/backend/ is on the page, and nothing else', () => {
    const folders = readdirSync(join(root, 'examples/backend'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(
      backendVariants()
        .map((v) => v.id)
        .sort(),
    ).toEqual(folders);
    expect(folders).toEqual(['csharp', 'go', 'java', 'node', 'php', 'python', 'ruby']);
  });

  test("each example on the page is its file byte for byte, with this instance's address in place of the default", () => {
    for (const variant of backendVariants()) {
      const onDisk = readFileSync(join(root, variant.file), 'utf8');
      expect(onDisk).toContain(EXAMPLE_VAULT_URL);
      expect(variant.code).toBe(onDisk.replaceAll(EXAMPLE_VAULT_URL, VAULT_URL));
      expect(variant.code).not.toContain('vault.example.com');
    }
    expect(BACKEND_EXAMPLES).toHaveLength(7);
  });

  test('the API key is an environment variable in every example, never a key', () => {
    for (const variant of backendVariants()) {
      expect({ file: variant.file, reads: variant.code.includes('MESSENGER_VAULT_API_KEY') }).toEqual({
        file: variant.file,
        reads: true,
      });
      expect(variant.code).not.toMatch(/mvk_[A-Za-z0-9_-]{8,}/);
    }
  });
});
