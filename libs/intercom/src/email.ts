// Deliberately loose: it only has to tell "this is an email address" apart from an opaque id,
// not decide whether a mailbox exists.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function looksLikeEmail(value: string): boolean {
  return EMAIL_SHAPE.test(value.trim());
}
