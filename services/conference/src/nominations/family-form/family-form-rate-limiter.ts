import { createHash } from 'node:crypto';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ProblemException, ProblemType, REDIS } from '@cit/service-kit';
import type Redis from 'ioredis';
import { NOMINATION_OPTIONS, type NominationOptions } from '../nomination-options';
import { fixedWindow, withinLimit } from './fixed-window';

/** A refused submission: how long until the window that refused it ends. */
export interface RateLimited {
  limited: true;
  retryAfterSeconds: number;
  scope: 'client' | 'department';
}

/**
 * Fixed-window limits of the public family form, in Redis so every instance counts together:
 * per client address and department first (one flooder cannot use up a department's budget
 * before being stopped), then per department. Client addresses are hashed in the key.
 */
@Injectable()
export class FamilyFormRateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(NOMINATION_OPTIONS) private readonly options: NominationOptions,
  ) {}

  /** Counts one submission; refuses it (counting nothing further) once a limit is reached. */
  async take(
    departmentId: string,
    clientAddress: string,
    nowMs = Date.now(),
  ): Promise<RateLimited | { limited: false }> {
    const { index, retryAfterSeconds } = fixedWindow(nowMs, this.options.familyFormWindowSeconds);
    const ttl = this.options.familyFormWindowSeconds + 60;
    const client = createHash('sha256').update(clientAddress).digest('hex').slice(0, 32);
    const base = `cit:conference:family-form:${departmentId}`;
    const clientCount = await this.increment(`${base}:client:${client}:${index}`, ttl);
    if (!withinLimit(clientCount, this.options.familyFormPerClientLimit)) {
      return { limited: true, retryAfterSeconds, scope: 'client' };
    }
    const departmentCount = await this.increment(`${base}:all:${index}`, ttl);
    if (!withinLimit(departmentCount, this.options.familyFormPerDepartmentLimit)) {
      return { limited: true, retryAfterSeconds, scope: 'department' };
    }
    return { limited: false };
  }

  // Without Redis the limit cannot be counted: the form refuses (503) rather than take an unlimited flood.
  private async increment(key: string, ttlSeconds: number): Promise<number> {
    try {
      const results = await this.redis.multi().incr(key).expire(key, ttlSeconds).exec();
      const [error, count] = results?.[0] ?? [new Error('no reply')];
      if (error) throw error;
      return Number(count);
    } catch {
      throw new ProblemException(
        ProblemType.unavailable,
        HttpStatus.SERVICE_UNAVAILABLE,
        'Service unavailable',
        'The form cannot take submissions right now; try again later.',
      );
    }
  }
}
