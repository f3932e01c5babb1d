import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { installHttpMetrics } from './http-metrics.middleware';

describe('HTTP metrics (onRequest/onResponse hooks)', () => {
  it('counts and times each request by method, route template and status, never the raw path', async () => {
    const app = Fastify();
    const registry = new Registry();
    installHttpMetrics(app, registry);
    app.get('/v1/things/:id', async (req, reply) => {
      const { id } = req.params as { id: string };
      if (id === 'missing') return reply.code(404).send({});
      return { id };
    });
    await app.ready();
    for (const id of ['a1', 'b2', 'c3', 'missing']) await app.inject({ method: 'GET', url: `/v1/things/${id}` });
    await app.inject({ method: 'GET', url: '/nowhere' });
    const text = await registry.metrics();
    expect(text).toContain('cit_http_requests_total{method="GET",route="/v1/things/:id",status="200"} 3');
    expect(text).toContain('cit_http_requests_total{method="GET",route="/v1/things/:id",status="404"} 1');
    expect(text).toContain('cit_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toContain(
      'cit_http_request_duration_seconds_count{method="GET",route="/v1/things/:id",status="200"} 3',
    );
    expect(text).toMatch(
      /cit_http_request_duration_seconds_sum\{method="GET",route="\/v1\/things\/:id",status="200"\} [\d.e-]+/,
    );
    expect(text).not.toContain('a1');
    await app.close();
  });
});
