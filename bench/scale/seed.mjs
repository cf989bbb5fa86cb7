// The data set of bench:scale, written by PostgreSQL itself (INSERT ... SELECT generate_series):
// no row crosses the wire, so 3.25 million rows take a minute or two on 2 cores, not hours.
// Rows are valid for the app (every constraint holds; foreign keys and triggers are skipped
// during the load with session_replication_role, which is why this needs a superuser such as
// the embedded PostgreSQL's). The seeded secret versions carry random bytes, not sealed
// secrets: their AAD binds tenant and version, so no real ciphertext could be shared; nothing
// the bench measures opens them (the token endpoint uses a tenant provisioned through the API).
// The seeded audit events continue the trail's numbering but not its hash chain (bench:audit-verify
// measures verification).

export const SEED = {
  tenants: 100_000,
  secretVersions: 150_000,
  usageRows: 2_000_000,
  auditEvents: 1_000_000,
};

const NAMES = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark',
  'Wayne',
  'Wonka',
  'Soylent',
  'Tyrell',
  'Cyberdyne',
  'Aperture',
  'Massive',
  'Vandelay',
  'Pied Piper',
  'Dunder',
  'Oscorp',
  'Gringotts',
  'Monarch',
  'Nakatomi',
];

/** Statements in order, each with a label for the timing line. `master` is the keyring's key id. */
export function seedStatements(master) {
  const names = `ARRAY[${NAMES.map((n) => `'${n}'`).join(',')}]`;
  return [
    ['bulk-load mode', `SET session_replication_role = replica`],
    [
      'tenant ids',
      `CREATE TEMP TABLE bench_t AS SELECT i, gen_random_uuid() AS id FROM generate_series(1, ${SEED.tenants}) i;
       CREATE UNIQUE INDEX ON bench_t (i)`,
    ],
    [
      `${SEED.tenants} tenants`,
      // Every 1,000th name is a would-be spreadsheet formula: the export must neutralise it.
      `INSERT INTO tenants (id, name, created_at)
       SELECT id, CASE WHEN i % 1000 = 0 THEN '=HYPERLINK("http://x.example/' || i || '")'
                       ELSE (${names})[1 + i % ${NAMES.length}] || ' ' || lpad(i::text, 6, '0') END,
              now() - (i % 400) * interval '1 day'
         FROM bench_t`,
    ],
    [
      'intercom settings',
      `INSERT INTO intercom_settings (tenant_id, app_id, identity_mode, settings_saved_at, identity_mode_set_at, identity_mode_used_at)
       SELECT id, CASE WHEN i % 20 = 0 THEN NULL ELSE 'b' || lpad(to_hex(i), 7, '0') END,
              CASE WHEN i % 10 = 3 THEN 'hmac' ELSE 'jwt' END,
              CASE WHEN i % 4 = 0 THEN NULL ELSE now() - interval '30 days' END,
              now() - interval '30 days', CASE WHEN i % 3 = 0 THEN NULL ELSE now() - interval '29 days' END
         FROM bench_t`,
    ],
    [
      'vault secrets',
      `INSERT INTO vault_secrets (id, tenant_id, last_version)
       SELECT gen_random_uuid(), id, CASE WHEN i % 3 = 0 THEN 1 ELSE 2 END FROM bench_t WHERE i % 10 <> 9`,
    ],
    [
      `${SEED.secretVersions} secret versions`,
      // 90,000 tenants have a secret, 60,000 of them rotated once (v1 retired, v2 active); the
      // active one is 0 to 129 days old, so under the 90-day default some are due soon or overdue.
      `INSERT INTO secret_versions (tenant_id, secret_id, version, platforms, state, ciphertext, iv, wrapped_key,
                                    master_key_id, fingerprint, last4, created_at, retired_at)
       SELECT t.id, s.id, v.version, ARRAY['web','ios','android'],
              CASE WHEN v.version = s.last_version THEN 'active' ELSE 'retired' END,
              decode(md5(t.id::text || v.version), 'hex'), decode(substr(md5(t.id::text), 1, 24), 'hex'),
              decode(md5(s.id::text) || md5(t.id::text), 'hex'), $1, substr(md5(t.id::text || 'f'), 1, 16), 'ab12',
              now() - ((t.i * 7919) % 130) * interval '1 day' - (s.last_version - v.version) * interval '100 days'
                - (t.i % 86400) * interval '1 second',
              CASE WHEN v.version = s.last_version THEN NULL ELSE now() - ((t.i * 7919) % 130) * interval '1 day' END
         FROM bench_t t JOIN vault_secrets s ON s.tenant_id = t.id
         CROSS JOIN LATERAL generate_series(1, s.last_version) AS v(version)`,
      [master],
    ],
    [
      'platform security',
      `INSERT INTO platform_security (tenant_id, platform, security_enabled, enabled_at)
       SELECT t.id, p.platform, (t.i + p.n) % 7 <> 0, CASE WHEN (t.i + p.n) % 7 <> 0 THEN now() - interval '20 days' END
         FROM bench_t t CROSS JOIN (VALUES (0, 'web'), (1, 'ios'), (2, 'android')) AS p(n, platform)
        WHERE t.i % 5 <> 0`,
    ],
    [
      `${SEED.usageRows} hourly usage rows`,
      // A year of hours; each hour 228-229 (tenant, platform) pairs, spread over every tenant.
      // Tenant ids come from an array (one lookup, no join per row); rows go in primary key order.
      `INSERT INTO token_usage (tenant_id, platform, hour, count, last_token_at)
       SELECT a.ids[1 + ((n % 8760) * 7919 + (n / 8760) * 104729) % ${SEED.tenants}],
              (ARRAY['web','ios','android'])[1 + (n / 8760) % 3], h.hour, 1 + (n * 31) % 50,
              least(h.hour + ((n % 3600) * interval '1 second'), now())
         FROM (SELECT array_agg(id ORDER BY i) AS ids FROM bench_t) a, generate_series(0, ${SEED.usageRows - 1}) n
         CROSS JOIN LATERAL (SELECT date_trunc('hour', now()) - (n % 8760) * interval '1 hour' AS hour) h
        ORDER BY 1, 2, 3`,
    ],
    [
      'token_usage_daily (the triggers were off during the load)',
      `INSERT INTO token_usage_daily (day, platform, count)
       SELECT (hour AT TIME ZONE 'UTC')::date, platform, sum(count) FROM token_usage GROUP BY 1, 2
       ON CONFLICT (day, platform) DO UPDATE SET count = EXCLUDED.count`,
    ],
    [
      'tenant_overview (the triggers were off during the load)',
      `SELECT tenant_overview_refresh(array_agg(id)) FROM tenants`,
    ],
    [
      "tenant_overview's tokens of the last 24 hours",
      `SELECT tenant_overview_traffic(array_agg(DISTINCT tenant_id)) FROM token_usage
        WHERE hour > date_trunc('hour', now()) - interval '24 hours'`,
    ],
    [
      `${SEED.auditEvents} audit events`,
      `INSERT INTO audit_events (id, seq, occurred_at, actor_kind, actor_email, tenant_id, action, target_type,
                                 target_id, metadata, ip, user_agent, prev_hash, hash)
       SELECT gen_random_uuid(), base.seq + n, now() - (${SEED.auditEvents} - n) * interval '1 second',
              CASE WHEN n % 4 = 0 THEN 'staff' ELSE 'user' END, 'user' || (n % 5000) || '@example.com',
              a.ids[1 + n % ${SEED.tenants}],
              (ARRAY['secret.saved','settings.changed','api_key.created','platform.changed','user.signed_in'])[1 + n % 5],
              'tenant', (n % ${SEED.tenants})::text, jsonb_build_object('bench', true), '203.0.113.7', 'bench-scale',
              CASE WHEN base.seq + n = 1 THEN NULL ELSE md5((base.seq + n - 1)::text) END, md5((base.seq + n)::text)
         FROM (SELECT coalesce(max(seq), 0) AS seq FROM audit_events) base,
              (SELECT array_agg(id ORDER BY i) AS ids FROM bench_t) a, generate_series(1, ${SEED.auditEvents}) n`,
    ],
    ['normal mode', `SET session_replication_role = DEFAULT`],
    ['analyze', `ANALYZE`],
  ];
}
