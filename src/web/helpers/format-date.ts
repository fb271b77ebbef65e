import { withFirst } from '../../domain/french-dates';

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/**
 * Calendar dates already written out: a list or a case page prints dozens, mostly the same few
 * days, and Intl formatting was the list's largest helper cost (npm run bench's profile). Bounded;
 * a date alone says nothing about anyone.
 */
const calendarDates = new Map<string, string>();
const MAX_KEPT_DATES = 5_000;

/** 'YYYY-MM-DD' (a calendar date) or an ISO instant, shown as « 3 septembre 2024 ». */
export function formatDate(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  const known = calendarDates.get(value);
  if (known !== undefined) return known;
  const formatted = format(value);
  if (value.length === 10) {
    if (calendarDates.size >= MAX_KEPT_DATES) calendarDates.clear();
    calendarDates.set(value, formatted);
  }
  return formatted;
}

function format(value: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return Number.isNaN(date.getTime()) ? '' : withFirst(dateFormat.format(date));
}
