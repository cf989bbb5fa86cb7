import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A session must not outlive the privileges it was signed in with. Triggers end every session of
 * a user whose membership is removed or changed, or whose staff flag, password or email changes,
 * so no code path (a route, the CLI, a cascade from a deleted tenant, psql) can forget to.
 */
export class SessionRevocation1732620500000 implements MigrationInterface {
  name = 'SessionRevocation1732620500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION end_sessions_of_changed_user() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'users' THEN
          DELETE FROM sessions WHERE user_id = OLD.id;
        ELSE
          DELETE FROM sessions WHERE user_id = OLD.user_id;
          IF TG_OP = 'UPDATE' AND NEW.user_id <> OLD.user_id THEN
            DELETE FROM sessions WHERE user_id = NEW.user_id;
          END IF;
        END IF;
        RETURN NULL;
      END $$;

      CREATE TRIGGER memberships_removed_end_sessions AFTER DELETE ON memberships
        FOR EACH ROW EXECUTE FUNCTION end_sessions_of_changed_user();
      CREATE TRIGGER memberships_changed_end_sessions AFTER UPDATE ON memberships
        FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.user_id IS DISTINCT FROM NEW.user_id
                           OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
        EXECUTE FUNCTION end_sessions_of_changed_user();
      CREATE TRIGGER users_privileges_changed_end_sessions AFTER UPDATE ON users
        FOR EACH ROW WHEN (OLD.is_staff IS DISTINCT FROM NEW.is_staff OR OLD.password_hash IS DISTINCT FROM NEW.password_hash
                           OR OLD.email IS DISTINCT FROM NEW.email)
        EXECUTE FUNCTION end_sessions_of_changed_user();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER users_privileges_changed_end_sessions ON users;
      DROP TRIGGER memberships_changed_end_sessions ON memberships;
      DROP TRIGGER memberships_removed_end_sessions ON memberships;
      DROP FUNCTION end_sessions_of_changed_user();
    `);
  }
}
