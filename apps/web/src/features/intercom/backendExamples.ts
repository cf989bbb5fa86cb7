// The backend examples are files under examples/backend/, run against the API in CI
// (tests/examples/). The page shows those very files, read at build time, so the two cannot drift.
import csharp from '@messenger-vault/examples/backend/csharp/Program.cs?raw';
import go from '@messenger-vault/examples/backend/go/main.go?raw';
import java from '@messenger-vault/examples/backend/java/TokenExample.java?raw';
import node from '@messenger-vault/examples/backend/node/token.mjs?raw';
import php from '@messenger-vault/examples/backend/php/token.php?raw';
import python from '@messenger-vault/examples/backend/python/token.py?raw';
import ruby from '@messenger-vault/examples/backend/ruby/token.rb?raw';

/** The Messenger Vault address the example files default to; the page puts this instance's in its place. */
export const EXAMPLE_VAULT_URL = 'https://vault.example.com';

export interface BackendExample {
  /** The folder under examples/backend/. */
  id: string;
  label: string;
  language: string;
  /** The file's path in the repository. */
  file: string;
  source: string;
}

const example = (id: string, label: string, language: string, name: string, source: string): BackendExample => ({
  id,
  label,
  language,
  file: `examples/backend/${id}/${name}`,
  source,
});

export const BACKEND_EXAMPLES: readonly BackendExample[] = [
  example('node', 'Node', 'js', 'token.mjs', node),
  example('python', 'Python', 'python', 'token.py', python),
  example('ruby', 'Ruby', 'ruby', 'token.rb', ruby),
  example('php', 'PHP', 'php', 'token.php', php),
  example('go', 'Go', 'go', 'main.go', go),
  example('java', 'Java', 'java', 'TokenExample.java', java),
  example('csharp', 'C#', 'csharp', 'Program.cs', csharp),
];

/**
 * The example with this Messenger Vault's address filled in. The API key stays an environment
 * variable (MESSENGER_VAULT_API_KEY): a page never shows a real key.
 */
export function backendExampleCode(source: string, vaultUrl: string): string {
  return source.replaceAll(EXAMPLE_VAULT_URL, vaultUrl.replace(/\/+$/, ''));
}
