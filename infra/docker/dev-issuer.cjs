// Development OIDC issuer for docker-compose.dev.yml (never in production, never in a service image).
// Binds 127.0.0.1 unless DEV_ISSUER_HOST says otherwise: docker-compose.dev.yml sets 0.0.0.0, the
// container's own interfaces, so the services reach it on the compose network; the host only sees
// the port published on its loopback.
// Tokens: docker compose exec dev-issuer node libs/auth/dist/dev-issuer/token.cli.js --role coordinator --department demo
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS script
const { startDevIssuer } = require('../../libs/auth/dist/dev-issuer/dev-issuer.server.js');

startDevIssuer({
  host: process.env.DEV_ISSUER_HOST || '127.0.0.1',
  port: Number(process.env.DEV_ISSUER_PORT || 3999),
}).then(
  (issuer) => {
    console.log(
      JSON.stringify({
        level: 'info',
        service: 'dev-issuer',
        msg: 'dev issuer listening',
        port: issuer.port,
        tokenIssuer: process.env.AUTH_ISSUER,
      }),
    );
    const stop = () =>
      issuer.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  },
  (err) => {
    console.error(
      JSON.stringify({ level: 'error', service: 'dev-issuer', msg: 'dev issuer failed to start', error: err.message }),
    );
    process.exit(1);
  },
);
