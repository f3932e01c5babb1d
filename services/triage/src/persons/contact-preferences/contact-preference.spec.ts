import type { ContactPreferenceFlags } from '@cit/contracts';
import { checkOutreach, NO_PREFERENCE, strictestPreference } from './contact-preference';

describe('strictestPreference', () => {
  it.each<[string, ContactPreferenceFlags[], ContactPreferenceFlags]>([
    ['none recorded', [], NO_PREFERENCE],
    ['one open', [{ doNotContact: false }], NO_PREFERENCE],
    [
      'do-not-contact wins',
      [{ doNotContact: false, allowedChannels: ['phone'] }, { doNotContact: true }],
      { doNotContact: true },
    ],
    [
      'channels intersect',
      [
        { doNotContact: false, allowedChannels: ['phone', 'home-visit'] },
        { doNotContact: false, allowedChannels: ['phone'] },
      ],
      { doNotContact: false, allowedChannels: ['phone'] },
    ],
    [
      'unrestricted + restricted',
      [{ doNotContact: false }, { doNotContact: false, allowedChannels: ['in-person'] }],
      { doNotContact: false, allowedChannels: ['in-person'] },
    ],
    [
      'disjoint channels leave none',
      [
        { doNotContact: false, allowedChannels: ['phone'] },
        { doNotContact: false, allowedChannels: ['in-person'] },
      ],
      { doNotContact: false, allowedChannels: [] },
    ],
  ])('%s', (_name, prefs, expected) => {
    expect(strictestPreference(prefs)).toEqual(expected);
  });
});

describe('checkOutreach', () => {
  const dnc: ContactPreferenceFlags = { doNotContact: true };
  const phoneOnly: ContactPreferenceFlags = { doNotContact: false, allowedChannels: ['phone'] };
  it.each([
    ['no preference, staff', NO_PREFERENCE, 'home-visit', 'staff', { verdict: 'allowed', flags: [] }],
    ['do-not-contact, staff', dnc, 'phone', 'staff', { verdict: 'refused', reason: 'do-not-contact' }],
    ['do-not-contact, person calls in', dnc, 'phone', 'person', { verdict: 'allowed', flags: ['do-not-contact'] }],
    ['phone only, staff phone', phoneOnly, 'phone', 'staff', { verdict: 'allowed', flags: [] }],
    [
      'phone only, staff visit',
      phoneOnly,
      'home-visit',
      'staff',
      { verdict: 'refused', reason: 'channel-not-allowed' },
    ],
    [
      'phone only, person walks in',
      phoneOnly,
      'in-person',
      'person',
      { verdict: 'allowed', flags: ['channel-not-allowed'] },
    ],
  ] as const)('%s', (_name, pref, channel, initiatedBy, expected) => {
    expect(checkOutreach(pref, { channel, initiatedBy })).toEqual(expected);
  });
});
