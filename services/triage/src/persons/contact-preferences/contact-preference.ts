import type { ContactPreferenceFlags, OutreachChannel } from '@cit/contracts';

/** No preference recorded: outreach through any channel. */
export const NO_PREFERENCE: ContactPreferenceFlags = { doNotContact: false };

/**
 * Several preferences apply to one person after a merge: do-not-contact wins, and channel
 * restrictions intersect (each record restricted outreach; none of them is dropped).
 */
export function strictestPreference(prefs: readonly ContactPreferenceFlags[]): ContactPreferenceFlags {
  if (prefs.length === 0) return NO_PREFERENCE;
  if (prefs.some((p) => p.doNotContact)) return { doNotContact: true };
  let channels: OutreachChannel[] | undefined;
  for (const p of prefs) {
    if (!p.allowedChannels) continue;
    channels = channels ? channels.filter((c) => p.allowedChannels!.includes(c)) : [...p.allowedChannels];
  }
  return channels ? { doNotContact: false, allowedChannels: channels } : NO_PREFERENCE;
}

export type OutreachCheck =
  | { verdict: 'allowed'; flags: string[] }
  | { verdict: 'refused'; reason: 'do-not-contact' | 'channel-not-allowed' };

/**
 * How an outreach contact squares with the person's preference. Staff-initiated outreach to a
 * do-not-contact person, or through a channel the person excluded, is refused. A contact the
 * person initiated is always recorded, flagged when it crosses the preference, so the log stays
 * complete without anyone reaching out against it.
 */
export function checkOutreach(
  pref: ContactPreferenceFlags,
  contact: { channel: OutreachChannel; initiatedBy: 'staff' | 'person' },
): OutreachCheck {
  const channelExcluded = pref.allowedChannels !== undefined && !pref.allowedChannels.includes(contact.channel);
  if (contact.initiatedBy === 'staff') {
    if (pref.doNotContact) return { verdict: 'refused', reason: 'do-not-contact' };
    if (channelExcluded) return { verdict: 'refused', reason: 'channel-not-allowed' };
    return { verdict: 'allowed', flags: [] };
  }
  const flags: string[] = [];
  if (pref.doNotContact) flags.push('do-not-contact');
  if (channelExcluded) flags.push('channel-not-allowed');
  return { verdict: 'allowed', flags };
}
