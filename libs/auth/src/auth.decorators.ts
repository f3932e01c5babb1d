import { SetMetadata, UnauthorizedException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal, Role } from './principal';

/** Metadata key of @Public(). */
export const IS_PUBLIC_KEY = 'cit:auth:public';
/** Metadata key of @Roles(). */
export const ROLES_KEY = 'cit:auth:roles';
/** Metadata key of @PartnerOnly(). */
export const PARTNER_ONLY_KEY = 'cit:auth:partner-only';

/** Marks a route (or controller) as open without a token: health, metrics, docs. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/** Requires at least one of the roles (handler metadata overrides the controller's). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** Restricts a route to partner-agency principals. */
export const PartnerOnly = (): MethodDecorator & ClassDecorator => SetMetadata(PARTNER_ONLY_KEY, true);

/** Request property the guard stores the principal in. */
export const PRINCIPAL_PROPERTY = 'principal';

/** The principal the guard attached to a request, or undefined. */
export function principalOf(request: unknown): Principal | undefined {
  return (request as Record<string, Principal | undefined> | undefined)?.[PRINCIPAL_PROPERTY];
}

/** Injects the authenticated principal; 401 if the route ran without one (e.g. a @Public route). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = principalOf(ctx.switchToHttp().getRequest());
  if (!principal) throw new UnauthorizedException('authentication required');
  return principal;
});
