import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { notFound } from '../common/errors';
import type { ListNotificationsQuery, NotificationDto, NotificationPageDto } from './dto/notification.dto';
import { NOTIFICATION_COLUMNS, type NotificationRow, reminderFacts } from './notification-row';
import { describeReminder } from './reminder-message';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FROM = 'rotation_notifications n JOIN tenants t ON t.id = n.tenant_id';

function toDto(row: NotificationRow): NotificationDto {
  return {
    id: row.id,
    stage: row.stage,
    occurrence: row.occurrence,
    secretVersion: row.secret_version,
    rotationDueAt: row.rotation_due_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
    ...describeReminder(reminderFacts(row)),
  };
}

/** The in-app channel: a tenant's rotation reminders, newest first, and marking them read. */
@Injectable()
export class NotificationsService {
  constructor(private readonly db: DataSource) {}

  async list(tenantId: string, query: ListNotificationsQuery): Promise<NotificationPageDto> {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor);
    const params: unknown[] = [tenantId, limit + 1];
    const where = ['n.tenant_id = $1'];
    if (query.unread) where.push('n.read_at IS NULL');
    if (after) {
      params.push(after.at, after.id);
      where.push('(n.created_at, n.id) < ($3::timestamptz, $4::uuid)');
    }
    const [rows, unread]: [NotificationRow[], Array<{ n: number }>] = await Promise.all([
      this.db.query(
        `SELECT ${NOTIFICATION_COLUMNS} FROM ${FROM} WHERE ${where.join(' AND ')}
          ORDER BY n.created_at DESC, n.id DESC LIMIT $2`,
        params,
      ),
      this.db.query(`SELECT count(*)::int AS n FROM rotation_notifications WHERE tenant_id = $1 AND read_at IS NULL`, [
        tenantId,
      ]),
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toDto),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.created_at.toISOString(), id: last.id }) : null,
      unreadCount: unread[0]!.n,
    };
  }

  /** Idempotent: reading it again keeps the first readAt. */
  async markRead(tenantId: string, id: string): Promise<NotificationDto> {
    if (!UUID.test(id)) throw notFound('Notification');
    const rows: NotificationRow[] = await this.db.query(
      `WITH marked AS (
         UPDATE rotation_notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND tenant_id = $2 RETURNING *
       )
       SELECT ${NOTIFICATION_COLUMNS} FROM marked n JOIN tenants t ON t.id = n.tenant_id`,
      [id, tenantId],
    );
    if (!rows[0]) throw notFound('Notification');
    return toDto(rows[0]);
  }
}
