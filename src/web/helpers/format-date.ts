import { withFirst } from '../../domain/french-dates';

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** 'YYYY-MM-DD' (a calendar date) or an ISO instant, shown as « 3 septembre 2024 ». */
export function formatDate(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return Number.isNaN(date.getTime()) ? '' : withFirst(dateFormat.format(date));
}
