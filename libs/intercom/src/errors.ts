/**
 * Base of every error this library throws. `code` is stable (safe to branch on and to show in
 * an API response); `message` says what to do next and never contains a secret.
 *
 * Rule of thumb for callers: text a person typed into a form (an APP_ID, a pasted token) comes
 * back as a result value with problems; arguments a program passed (claims, keys, policies)
 * throw one of these, because a wrong argument is a bug to fix, not a form to re-fill.
 */
export abstract class IntercomError<Code extends string = string> extends Error {
  abstract override readonly name: string;

  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}
