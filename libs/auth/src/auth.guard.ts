import {
  ForbiddenException,
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY, PARTNER_ONLY_KEY, PRINCIPAL_PROPERTY, ROLES_KEY } from './auth.decorators';
import { AuthenticationError, JwtVerifier, extractBearerToken } from './jwt-verifier';
import { isAllowed, type Principal, type Role } from './principal';

/**
 * Global guard: every HTTP route needs a valid bearer token unless @Public(); missing or bad
 * token → 401, role not allowed → 403. Non-HTTP contexts (message handlers) pass: they
 * carry no end-user token and are protected by broker access control instead.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(JwtVerifier) private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    if (context.getType() !== 'http') return true;

    const request = context.switchToHttp().getRequest<{ headers?: Record<string, string | string[] | undefined> }>();
    const principal = await this.authenticate(extractBearerToken(request.headers?.authorization));
    (request as Record<string, unknown>)[PRINCIPAL_PROPERTY] = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const partnerOnly = this.reflector.getAllAndOverride<boolean | undefined>(PARTNER_ONLY_KEY, targets) ?? false;
    if (!isAllowed(principal, { roles, partnerOnly }))
      throw new ForbiddenException('insufficient role for this operation');
    return true;
  }

  private async authenticate(token: string | undefined): Promise<Principal> {
    if (!token) throw new UnauthorizedException('missing bearer token');
    try {
      return await this.verifier.verify(token);
    } catch (err) {
      if (err instanceof AuthenticationError) {
        // Neither is the caller's fault: the keys or the deny-list could not be read (fail closed, retryable).
        if (err.reason === 'issuer_unavailable' || err.reason === 'revocation_unavailable')
          throw new ServiceUnavailableException(err.message);
        throw new UnauthorizedException(err.message);
      }
      throw err;
    }
  }
}
