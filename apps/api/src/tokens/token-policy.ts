import {
  CUSTOM_ATTRIBUTE_LIMITS,
  RESERVED_ATTRIBUTE_NAMES,
  type CustomAttributeRule,
  type CustomAttributeType,
} from '@messenger-vault/contracts';

/** One allow-list entry as a token request is checked against it. */
export interface CompiledAttribute {
  readonly type: CustomAttributeType;
  /** Strings only: the longest value, in characters. */
  readonly maxLength: number;
}

/**
 * What a tenant's settings say about the token body, compiled once when its settings are loaded
 * (TenantTokenConfigService) so each request only does map lookups (issue 16: the hot path).
 */
export interface TokenRequestPolicy {
  readonly allowEmailUserIds: boolean;
  readonly attributes: ReadonlyMap<string, CompiledAttribute>;
  /** The names, for messages: "allowed: plan, seats". */
  readonly attributeList: string;
}

export const DEFAULT_TOKEN_POLICY: TokenRequestPolicy = Object.freeze({
  allowEmailUserIds: false,
  attributes: new Map<string, CompiledAttribute>(),
  attributeList: '',
});

export function compileTokenPolicy(
  allowEmailUserIds: boolean,
  rules: readonly CustomAttributeRule[],
): TokenRequestPolicy {
  if (!allowEmailUserIds && rules.length === 0) return DEFAULT_TOKEN_POLICY;
  const attributes = new Map<string, CompiledAttribute>();
  for (const rule of rules) {
    // Stored rows were checked when saved; a hand-edited one that is not usable is skipped, not trusted.
    if (typeof rule?.name !== 'string' || RESERVED_ATTRIBUTE_NAMES.has(rule.name)) continue;
    if (rule.type !== 'string' && rule.type !== 'number' && rule.type !== 'boolean') continue;
    const maxLength = Math.min(
      rule.maxLength ?? CUSTOM_ATTRIBUTE_LIMITS.stringMaxLength,
      CUSTOM_ATTRIBUTE_LIMITS.stringMaxLength,
    );
    attributes.set(rule.name, { type: rule.type, maxLength });
  }
  return { allowEmailUserIds, attributes, attributeList: [...attributes.keys()].join(', ') };
}

const FIELD = 'custom_attributes';
const MAX_NAMED = 20;
const shown = (name: string) => (name.length > 64 ? `${name.slice(0, 64)}…` : name);

/**
 * `custom_attributes` against the allow-list. Returns the object itself when every entry passes
 * (nothing is copied); problems are reported per attribute as `custom_attributes.<name>`.
 */
export function checkCustomAttributes(
  value: unknown,
  policy: TokenRequestPolicy,
  problem: (field: string, message: string) => void,
): Record<string, string | number | boolean> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problem(
      FIELD,
      'custom_attributes must be an object of allow-listed names and values, like {"plan": "pro"}, or be left out.',
    );
    return undefined;
  }
  const rules = policy.attributes;
  if (rules.size === 0) {
    problem(
      FIELD,
      'This tenant allows no custom attributes. An admin adds each one (name and type) to the allow-list in the setup wizard, step 4; until then leave custom_attributes out.',
    );
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const names = Object.keys(record);
  let ok = true;
  if (names.length > rules.size) {
    ok = false;
    problem(
      FIELD,
      `custom_attributes has ${names.length} entries but this tenant allows ${rules.size}: ${policy.attributeList}.`,
    );
  }
  // Enough to name the unknown ones; a body of thousands of keys is not walked to the end.
  const checked = Math.min(names.length, rules.size + MAX_NAMED);
  let total = 0;
  for (let i = 0; i < checked; i++) {
    const name = names[i]!;
    const field = `${FIELD}.${shown(name)}`;
    const rule = rules.get(name);
    if (rule === undefined) {
      ok = false;
      problem(
        field,
        RESERVED_ATTRIBUTE_NAMES.has(name)
          ? `"${shown(name)}" is a reserved name and cannot be a custom attribute.`
          : `"${shown(name)}" is not in this tenant's custom attribute allow-list (${policy.attributeList}). Add it in the setup wizard, step 4, or leave it out.`,
      );
      continue;
    }
    const v = record[name];
    if (rule.type === 'string') {
      if (typeof v !== 'string') {
        ok = false;
        problem(field, `"${name}" must be a string (the allow-list says string).`);
      } else if (v.length > rule.maxLength) {
        ok = false;
        problem(field, `"${name}" must be at most ${rule.maxLength} characters.`);
      } else total += name.length + v.length;
    } else if (rule.type === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        ok = false;
        problem(field, `"${name}" must be a number (the allow-list says number); send 3, not "3".`);
      } else total += name.length + 24;
    } else if (typeof v !== 'boolean') {
      ok = false;
      problem(field, `"${name}" must be true or false (the allow-list says boolean).`);
    } else total += name.length + 5;
  }
  if (total > CUSTOM_ATTRIBUTE_LIMITS.totalMaxChars) {
    problem(
      FIELD,
      `custom_attributes must be at most ${CUSTOM_ATTRIBUTE_LIMITS.totalMaxChars} characters in all (names and values).`,
    );
    return undefined;
  }
  return ok ? (record as Record<string, string | number | boolean>) : undefined;
}
