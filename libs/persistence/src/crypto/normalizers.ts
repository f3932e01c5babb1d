/**
 * Normalizers turn PHI into the canonical form fed to a blind index, so that trivially
 * different spellings of the same value match. Errors never include the input (PHI).
 */

/** NFKD, diacritics stripped, lowercase, punctuation dropped, whitespace collapsed; word order kept. */
export function normalizeName(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      // Separators become spaces ("Mary-Ann" = "Mary Ann"); other punctuation disappears ("O'Brien" = "OBrien").
      .replace(/[-_/,;]+/g, ' ')
      .replace(/[^\p{L}\p{N}\s]+/gu, '')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Accepts YYYY-MM-DD or a Date (its UTC calendar day) and returns YYYY-MM-DD; rejects impossible dates. */
export function normalizeDateOfBirth(value: string | Date): string {
  let y: number;
  let m: number;
  let d: number;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('invalid date of birth');
    y = value.getUTCFullYear();
    m = value.getUTCMonth() + 1;
    d = value.getUTCDate();
  } else {
    const match = ISO_DATE.exec(String(value).trim());
    if (!match) throw new RangeError('invalid date of birth: expected YYYY-MM-DD');
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const probe = new Date(Date.UTC(y, m - 1, d));
    if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
      throw new RangeError('invalid date of birth: no such calendar day');
    }
  }
  if (y < 1850 || y > 2200) throw new RangeError('invalid date of birth: year out of range');
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Digits only; an 11-digit number starting with the US country code 1 loses it. */
export function normalizePhone(phone: string): string {
  let digits = phone.replace(/\D+/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  if (digits.length < 7) throw new RangeError('invalid phone number: too few digits');
  return digits;
}

/** Canonical "name|date of birth" string for the person match blind index. */
export function personMatchKey(name: string, dateOfBirth: string | Date): string {
  const n = normalizeName(name);
  if (!n) throw new RangeError('invalid name: empty after normalization');
  return `${n}|${normalizeDateOfBirth(dateOfBirth)}`;
}

/** Canonical "name|phone digits" string for the person phone-match blind index. */
export function personPhoneKey(name: string, phone: string): string {
  const n = normalizeName(name);
  if (!n) throw new RangeError('invalid name: empty after normalization');
  return `${n}|${normalizePhone(phone)}`;
}

/**
 * The inputs of a person's two match indexes (name + date of birth, name + phone); null where
 * a value is missing or normalizes to nothing matchable. Services and the blind-index
 * recompute both use this, so a recomputed index is the one a new report would compute.
 */
export function personIdentityInputs(
  name: string,
  dateOfBirth: string | null | undefined,
  phone: string | null | undefined,
): { match: string | null; phone: string | null } {
  const attempt = (f: () => string): string | null => {
    try {
      return f();
    } catch {
      return null;
    }
  };
  return {
    match: dateOfBirth ? attempt(() => personMatchKey(name, dateOfBirth)) : null,
    phone: phone ? attempt(() => personPhoneKey(name, phone)) : null,
  };
}
