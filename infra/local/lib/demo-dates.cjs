'use strict';
// Calendar arithmetic of the demo seed on plain YYYY-MM-DD dates (no time zone shifts: noon UTC).

/** A local calendar date (YYYY-MM-DD) in a time zone. */
function localDate(timeZone, at = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const addDays = (ymd, days) => {
  const d = new Date(`${ymd}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const addMonths = (ymd, months) => {
  const d = new Date(`${ymd}T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
};
// ISO weekday 1 (Monday) … 7 (Sunday) of a calendar date.
const isoWeekday = (ymd) => ((new Date(`${ymd}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;

/**
 * The local start of a series' first occurrence after `today`: the next `weekday`, or the `nth`
 * `weekday` of next month, so the first occurrence is one the RRULE itself produces.
 */
function firstOccurrence(first, today) {
  let day;
  if (first.nth) {
    const d = new Date(`${today}T12:00:00Z`);
    const monthStart = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1, 12)).toISOString().slice(0, 10);
    day = addDays(monthStart, (first.weekday - isoWeekday(monthStart) + 7) % 7);
    day = addDays(day, 7 * (first.nth - 1));
  } else {
    day = addDays(today, (first.weekday - isoWeekday(today) + 7) % 7 || 7);
  }
  return `${day}T${first.time}`;
}

module.exports = { addDays, addMonths, firstOccurrence, isoWeekday, localDate };
