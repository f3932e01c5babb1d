import {
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { JwtVerifier, type AuthOptions } from './jwt-verifier';

/** Injection token of the resolved AuthOptions. */
export const AUTH_OPTIONS = Symbol('CIT_AUTH_OPTIONS');

/** Options of AuthModule.forRootAsync. */
export interface AuthModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  useFactory: (...args: never[]) => AuthOptions | Promise<AuthOptions>;
}

/** Registers JWT verification and the global AuthGuard. */
@Module({})
export class AuthModule {
  /** With explicit options; the service chassis passes them from its validated configuration. */
  static forRoot(options: AuthOptions): DynamicModule {
    return AuthModule.build([{ provide: AUTH_OPTIONS, useValue: options }]);
  }

  /** With options from a factory, e.g. a config service. */
  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    const mod = AuthModule.build([
      {
        provide: AUTH_OPTIONS,
        useFactory: options.useFactory as (...args: unknown[]) => AuthOptions,
        inject: options.inject ?? [],
      },
    ]);
    return { ...mod, imports: options.imports ?? [] };
  }

  private static build(optionsProvider: DynamicModule['providers']): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        ...(optionsProvider ?? []),
        { provide: JwtVerifier, useFactory: (o: AuthOptions) => new JwtVerifier(o), inject: [AUTH_OPTIONS] },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [AUTH_OPTIONS, JwtVerifier],
    };
  }
}
