import { InvalidInput } from './vault-errors';

/**
 * UTF-8 bytes of `text`, refusing strings with a lone UTF-16 surrogate. Node would silently turn
 * one into U+FFFD, so two different strings would seal under the same binding, or a secret
 * would open as something other than what was sealed.
 */
export function strictUtf8(field: string, text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.toString('utf8') !== text) {
    bytes.fill(0);
    throw new InvalidInput(field, 'is not well-formed Unicode (it holds a lone UTF-16 surrogate)');
  }
  return bytes;
}
