/**
 * How deep and how big untrusted JSON is, found in one linear pass over its UTF-8 bytes before
 * anything parses, walks or serializes it. JSON within a few kilobytes can nest thousands of
 * levels, and every recursive step after `JSON.parse` (class-transformer, `JSON.stringify` of an
 * answer that quotes it back) then overflows the stack.
 */
export interface JsonShapeLimits {
  maxDepth: number;
  /** Containers plus separators: an upper bound on array items and object members. */
  maxValues: number;
}

export type JsonShapeProblem = 'too_deep' | 'too_many_values';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/**
 * The first limit the JSON passes, or null. Works on raw bytes: UTF-8 never uses bytes below
 * 0x80 inside a multi-byte character, so the structural characters are found without decoding.
 */
export function jsonShapeProblem(bytes: Uint8Array, limits: JsonShapeLimits): JsonShapeProblem | null {
  let depth = 0;
  let values = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) {
      // Skip the string; an escape skips the byte after the backslash.
      for (i++; i < bytes.length && bytes[i] !== QUOTE; i++) if (bytes[i] === BACKSLASH) i++;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > limits.maxDepth) return 'too_deep';
      values++;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    } else if (byte === COMMA) {
      values++;
    }
    if (values > limits.maxValues) return 'too_many_values';
  }
  return null;
}
