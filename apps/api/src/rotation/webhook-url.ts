import {
  checkOutboundUrl,
  checkOutboundUrlShape,
  type OutboundPolicy,
  type UrlCheck,
  type UrlRules,
} from '../common/outbound';

export type WebhookUrlCheck = UrlCheck;

const WEBHOOK_URL: UrlRules = {
  field: 'url',
  what: 'the https URL that should receive reminders',
  example: 'like https://hooks.example.com/messenger-vault',
  noCredentials: 'every delivery is signed, verify the Messenger-Vault-Signature header instead.',
};

/** A receiver URL's shape (see common/outbound): no network involved. */
export function checkWebhookUrl(input: string, production: boolean): WebhookUrlCheck {
  return checkOutboundUrlShape(input, WEBHOOK_URL, production);
}

/** The shape, then in production where its name resolves to now. */
export function validateWebhookUrl(input: string, policy: OutboundPolicy): Promise<WebhookUrlCheck> {
  return checkOutboundUrl(input, WEBHOOK_URL, policy);
}
