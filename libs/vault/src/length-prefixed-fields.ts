/**
 * Joins fields as `uint32 big-endian byte length || bytes` each. Because every field carries its
 * own length, no choice of contents can shift bytes from one field into the next: two different
 * field lists never encode to the same bytes. Used wherever several values become one AAD.
 */
export function encodeFields(fields: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const field of fields) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(field.byteLength);
    parts.push(length, Buffer.from(field.buffer, field.byteOffset, field.byteLength));
  }
  return Buffer.concat(parts);
}
