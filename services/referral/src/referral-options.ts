/** Tunables of the referral service; tests shorten the clocks. Not environment variables: defaults are the policy. */
export interface ReferralOptions {
  /** First retry delay of a failed webhook; doubles per attempt up to webhookBackoffCapMs. */
  webhookBackoffBaseMs: number;
  webhookBackoffCapMs: number;
  webhookAttempts: number;
  webhookConcurrency: number;
  webhookTimeoutMs: number;
  /** An endpoint failing this long is disabled and the agency and ops alerted. */
  webhookDisableAfterMs: number;
  /** How long the previous secret stays valid after a rotation. */
  secretRotationOverlapMs: number;
  /** How often the SLA sweep looks for overdue referrals (0 = off). */
  slaSweepIntervalMs: number;
}

export const REFERRAL_OPTIONS = Symbol('REFERRAL_OPTIONS');

export const DEFAULT_REFERRAL_OPTIONS: ReferralOptions = {
  webhookBackoffBaseMs: 5_000,
  webhookBackoffCapMs: 3_600_000,
  // 5 s doubling to a 1 h cap: about 12 attempts in the first 2 h, then hourly past the 24 h limit.
  webhookAttempts: 40,
  webhookConcurrency: 64,
  webhookTimeoutMs: 10_000,
  webhookDisableAfterMs: 24 * 3_600_000,
  secretRotationOverlapMs: 24 * 3_600_000,
  slaSweepIntervalMs: 30_000,
};
