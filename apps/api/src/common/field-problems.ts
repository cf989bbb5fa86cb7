/**
 * Per-field validation messages, keyed by whatever field name a client sent. A Map, not an
 * object literal: a body key such as `toString`, `constructor` or `__proto__` would otherwise
 * read or replace the object's prototype members instead of naming the field.
 */
export class FieldProblems {
  private readonly byField = new Map<string, string[]>();

  add(field: string, message: string): void {
    const messages = this.byField.get(field);
    if (messages) messages.push(message);
    else this.byField.set(field, [message]);
  }

  get any(): boolean {
    return this.byField.size > 0;
  }

  /** A prototype-less record, safe to index by any field name and to serialize as JSON. */
  toRecord(): Record<string, string[]> {
    const out = Object.create(null) as Record<string, string[]>;
    for (const [field, messages] of this.byField) out[field] = messages;
    return out;
  }
}
