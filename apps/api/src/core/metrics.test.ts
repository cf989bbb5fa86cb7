import { Metrics } from './metrics';

test('token metrics kept in plain numbers render as a Prometheus counter and a cumulative histogram', async () => {
  const metrics = new Metrics();
  metrics.tokenAnswered('token', { platform: 'web' }, 200, 0.0004);
  metrics.tokenAnswered('token', { platform: 'web' }, 200, 0.003);
  metrics.tokenAnswered('token', { platform: 'web' }, 200, 3);
  metrics.tokenAnswered('exchange', { platform: 'nope' }, 401, 0.001);
  const text = await metrics.registry.metrics();
  const name = 'messenger_vault_token_request_duration_seconds';
  expect(text).toContain('# TYPE messenger_vault_token_requests_total counter');
  expect(text).toContain('messenger_vault_token_requests_total{endpoint="token",platform="web",outcome="issued"} 3');
  expect(text).toContain(
    'messenger_vault_token_requests_total{endpoint="exchange",platform="unknown",outcome="unauthorized"} 1',
  );
  expect(text).toContain(`# TYPE ${name} histogram`);
  expect(text).toContain(`${name}_bucket{endpoint="token",outcome="issued",le="0.0005"} 1`);
  expect(text).toContain(`${name}_bucket{endpoint="token",outcome="issued",le="0.0025"} 1`);
  expect(text).toContain(`${name}_bucket{endpoint="token",outcome="issued",le="0.005"} 2`);
  expect(text).toContain(`${name}_bucket{endpoint="token",outcome="issued",le="2.5"} 2`);
  expect(text).toContain(`${name}_bucket{endpoint="token",outcome="issued",le="+Inf"} 3`);
  expect(text).toContain(`${name}_count{endpoint="token",outcome="issued"} 3`);
  expect(text).toContain(`${name}_bucket{endpoint="exchange",outcome="unauthorized",le="0.001"} 1`);
  expect(text).toMatch(new RegExp(`${name}_sum\\{endpoint="token",outcome="issued"\\} 3\\.0034`));
});
