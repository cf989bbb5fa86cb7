export type JsonObject = Record<string, unknown>;

export interface DecodedJwt {
  header: JsonObject | null;
  payload: JsonObject | null;
  /** Set only when there are three parts and the signature part is base64url text. */
  signed: { signingInput: string; signature: string } | null;
  /** What is wrong with the token's shape, one sentence fragment each; empty when none. */
  issues: string[];
}

import { jsonShapeProblem } from './json-shape';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** Deeper than any real JOSE header or claims set; echoing deeper JSON back would overflow. */
export const MAX_JWT_JSON_DEPTH = 16;

/**
 * Splits and decodes a compact JWT without trusting it, so that a token with a wrong signature
 * (or a wrong anything) can still be shown to the person debugging it.
 */
export function decodeJwt(token: unknown): DecodedJwt {
  if (typeof token !== 'string') {
    return { header: null, payload: null, signed: null, issues: ['it is not text'] };
  }
  const parts = token.split('.');
  if (parts.length !== 3) {
    const found = parts.length === 1 ? 'no dots' : `${parts.length} parts`;
    return {
      header: null,
      payload: null,
      signed: null,
      issues: [`a JWT has three parts separated by dots (header.payload.signature), but this has ${found}`],
    };
  }

  const [headerPart = '', payloadPart = '', signature = ''] = parts;
  const issues: string[] = [];
  const header = decodeJsonPart(headerPart, 'header', issues);
  const payload = decodeJsonPart(payloadPart, 'payload', issues);
  let signed: DecodedJwt['signed'] = { signingInput: `${headerPart}.${payloadPart}`, signature };
  if (!BASE64URL.test(signature)) {
    issues.push('the signature has characters that base64url does not use');
    signed = null;
  }
  return { header, payload, signed, issues };
}

function decodeJsonPart(part: string, name: string, issues: string[]): JsonObject | null {
  if (part === '') {
    issues.push(`the ${name} is empty`);
    return null;
  }
  if (!BASE64URL.test(part) || part.length % 4 === 1) {
    issues.push(`the ${name} is not base64url text`);
    return null;
  }
  const bytes = Buffer.from(part, 'base64url');
  if (jsonShapeProblem(bytes, { maxDepth: MAX_JWT_JSON_DEPTH, maxValues: Infinity })) {
    issues.push(`the ${name} nests JSON deeper than ${MAX_JWT_JSON_DEPTH} levels`);
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    issues.push(`the ${name} does not decode to JSON`);
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push(`the ${name} decodes to JSON that is not an object`);
    return null;
  }
  return value as JsonObject;
}
