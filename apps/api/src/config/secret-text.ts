const REDACTED = '[redacted]';

/**
 * A secret read from the environment (the vault keyring): prints as `[redacted]` through
 * `String()`, `JSON.stringify` and `util.inspect`, so logging the config can't leak it.
 * `reveal()` is the one way to the text.
 */
export class SecretText {
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  reveal(): string {
    return this.#text;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}
