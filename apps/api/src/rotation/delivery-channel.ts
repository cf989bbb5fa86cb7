import type { NotificationRow } from './notification-row';

/** Channels that go through the outbox. In-app needs none: the notification row is the delivery. */
export const DELIVERY_CHANNELS = ['email', 'webhook'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** One claimed outbox row: which attempt this is, and what to deliver. */
export interface OutboxItem {
  outboxId: string;
  channel: DeliveryChannel;
  attempt: number;
  notification: NotificationRow;
}

/**
 * How one attempt ended. `error` is a short summary written for the attempt log and the
 * application log: a status, an error code, a timeout. Never a secret, a URL path, a signature,
 * a request body or what the receiver answered.
 */
export interface AttemptResult {
  outcome: 'delivered' | 'failed' | 'timeout' | 'cancelled';
  statusCode: number | null;
  error: string | null;
}

export interface ChannelSender {
  readonly channel: DeliveryChannel;
  send(item: OutboxItem): Promise<AttemptResult>;
}

export const cancelled = (why: string): AttemptResult => ({ outcome: 'cancelled', statusCode: null, error: why });

/** Where something ran: Nest's Logger in the API, pino in the CLI. */
export type ReminderLog = (level: 'info' | 'warn' | 'error', message: string) => void;
