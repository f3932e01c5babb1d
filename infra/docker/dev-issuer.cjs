// Development OIDC issuer inside the compose network (never in production).
// libs/auth's issuer.cli binds 127.0.0.1; containers need 0.0.0.0 so the services can fetch the JWKS.
// Tokens: docker compose exec dev-issuer node libs/auth/dist/dev-issuer/token.cli.js --role coordinator --department demo
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS script
const { startDevIssuer } = require('../../libs/auth/dist/dev-issuer/dev-issuer.server.js');

startDevIssuer({
  host: process.env.DEV_ISSUER_HOST || '0.0.0.0',
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
