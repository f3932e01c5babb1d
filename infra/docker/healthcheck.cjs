// Container health check without curl: GET http://127.0.0.1:$PORT<path> must answer 200.
//   node infra/docker/healthcheck.cjs [/health/ready]
const path = process.argv[2] || '/health/ready';
const port = process.env.PORT || '3000';
fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4000) })
  .then((res) => process.exit(res.status === 200 ? 0 : 1))
  .catch(() => process.exit(1));
