/**
 * Per-field validation messages, keyed by whatever field name a client sent. A Map, not an
 * object literal: a body key such as `toString`, `constructor` or `__proto__` would otherwise
 * read or replace the object's prototype members instead of naming the field.
 */
export class FieldProblems {
  /** Past this many fields the answer names no more: 3,000 junk keys must not build 3,000 messages. */
  static readonly MAX_FIELDS = 50;

  private readonly byField = new Map<string, string[]>();
  private unnamed = 0;

  add(field: string, message: string): void {
    const messages = this.byField.get(field);
    if (messages) messages.push(message);
    else if (this.byField.size < FieldProblems.MAX_FIELDS) this.byField.set(field, [message]);
    else this.unnamed++;
  }

  get any(): boolean {
    return this.byField.size > 0;
  }

  /** A prototype-less record, safe to index by any field name and to serialize as JSON. */
  toRecord(): Record<string, string[]> {
    const out = Object.create(null) as Record<string, string[]>;
    for (const [field, messages] of this.byField) out[field] = messages;
    if (this.unnamed > 0) out['(more)'] = [`${this.unnamed} more field(s) have problems like these; fix those first.`];
    return out;
  }
}
