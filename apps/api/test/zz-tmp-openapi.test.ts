import { startTestApp } from './harness';
test('dump', async () => {
  const t = await startTestApp();
  const res = await t.client().get('/api/docs-json');
  const paths = res.body.paths;
  for (const p of Object.keys(paths).filter((p) => p.includes('intercom'))) console.log(p, JSON.stringify(Object.keys(paths[p])), JSON.stringify(Object.values(paths[p]).map((o: any) => [o.parameters?.map((x: any) => x.name), Object.keys(o.responses)])));
  await t.close();
});
