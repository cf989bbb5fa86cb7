import { scrubbed, templatePath } from './tracing';

describe('tracing: what a span may carry out of the process', () => {
  it('templates ids, tokens and addresses out of request paths and drops the query', () => {
    expect(templatePath('/v1/intercom/token?probe=secret')).toBe('/v1/intercom/token');
    expect(templatePath('/api/tenants/3f0c1a2b-1111-4222-8333-444455556666/api-keys')).toBe(
      '/api/tenants/:id/api-keys',
    );
    expect(templatePath('/api/invitations/Zm9vYmFyYmF6cXV4cXV1eA/accept')).toBe('/api/invitations/:id/accept');
    expect(templatePath('/api/users/ada@example.com')).toBe('/api/users/:id');
    expect(templatePath('/api/tenants/42/intercom/app-id')).toBe('/api/tenants/:id/intercom/app-id');
  });

  it('keeps allowlisted attributes only, with no events, and keeps the span methods', () => {
    const span = {
      name: 'POST',
      spanContext: () => ({ traceId: 't', spanId: 's', traceFlags: 1 }),
      attributes: {
        'http.request.method': 'POST',
        'url.path': '/api/tenants/3f0c1a2b-1111-4222-8333-444455556666',
        'url.query': 'key=mvk_secret',
        'client.address': '203.0.113.9',
        'user_agent.original': 'curl',
        'http.response.status_code': 200,
      },
      events: [{ name: 'exception', attributes: { 'exception.message': 'mvk_secret' } }],
      links: [],
    };
    const out = scrubbed(span as never);
    expect(out.attributes).toEqual({
      'http.request.method': 'POST',
      'url.path': '/api/tenants/:id',
      'http.response.status_code': 200,
    });
    expect(out.events).toEqual([]);
    expect(out.name).toBe('POST');
    expect(out.spanContext().spanId).toBe('s');
  });
});
