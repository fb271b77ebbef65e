import { DateTime } from 'luxon';

/**
 * Wall-clock times in an agent's own zone, both ways: a time a rep types (French notation, a clock
 * change taken into account) to a UTC instant, and a stored instant back to the agent's clock.
 * Instants are stored in UTC; the zone is the agent's (territories.ts).
 */

/** Which of the two occurrences of a time the clocks pass twice, when the clocks go back. */
export type Fold = 'summer' | 'winter';

export const FOLD_LABELS: Record<Fold, string> = { summer: 'heure d’été', winter: 'heure d’hiver' };

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** Kept when the direction's list gives it: two consultations in one minute are two. */
  second?: number;
}

export type LocalReading =
  | { kind: 'instant'; at: string }
  | { kind: 'unreadable' }
  /** The clocks jumped over this time (spring forward): it never happened there. */
  | { kind: 'nonexistent'; wall: WallTime }
  /** The clocks passed this time twice (fall back): which one is meant must be said. */
  | { kind: 'ambiguous'; wall: WallTime; summer: string; winter: string };

const DATE_FR = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$/;
const DATE_ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TIME = /^(\d{1,2})\s*(?:h\s*(\d{2})?|:(\d{2})(?::(\d{2}))?)$/i;
const FOLD_MARK = /\s*\(?\s*(?:heure\s+d['’]\s*)?(été|ete|hiver)\s*\)?\s*$/i;

export interface ParsedWallTime {
  wall: WallTime;
  /** Said at the end of the line: « (été) », « heure d’hiver ». */
  fold?: Fold;
}

/**
 * Reads a date and time in French notation: « 14/05/2024 21:15 », « 14/05/24 à 21h15 »,
 * « 14/05/2024 21 h 15 », « 14/05/2024 21h », « 2024-05-14T21:15 », optionally ending with the
 * clock it was read on when the clocks went back (« (hiver) », « heure d’été »).
 */
export function parseWallTime(raw: string): ParsedWallTime | null {
  let text = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  let fold: Fold | undefined;
  const mark = FOLD_MARK.exec(text);
  if (mark && /\d/.test(text.slice(0, mark.index))) {
    fold = mark[1]!.toLowerCase() === 'hiver' ? 'winter' : 'summer';
    text = text.slice(0, mark.index).trim();
  }
  const split = /^(\S+?)(?:\s*,?\s+(?:à\s+|a\s+)?|T)(\d.*)$/i.exec(text);
  if (!split) return null;
  const date = readDate(split[1]!);
  const time = TIME.exec(split[2]!.trim());
  if (!date || !time) return null;
  const hour = Number(time[1]);
  const minute = Number(time[2] ?? time[3] ?? 0);
  const second = time[4] === undefined ? undefined : Number(time[4]);
  if (hour > 23 || minute > 59 || (second ?? 0) > 59) return null;
  const wall: WallTime = second ? { ...date, hour, minute, second } : { ...date, hour, minute };
  return fold ? { wall, fold } : { wall };
}

const MIN_YEAR = 2000;
const MAX_YEAR = 2099;

function readDate(text: string): Pick<WallTime, 'year' | 'month' | 'day'> | null {
  const fr = DATE_FR.exec(text);
  const iso = fr ? null : DATE_ISO.exec(text);
  if (!fr && !iso) return null;
  const [day, month, yearText] = fr ? [fr[1]!, fr[2]!, fr[3]!] : [iso![3]!, iso![2]!, iso![1]!];
  // A two-digit year is this century's: the campaign's consultations are recent.
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  // « 14/05/0024 » is a typo, not a consultation: no information system of France Travail predates 2000.
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  const check = DateTime.utc(year, Number(month), Number(day));
  if (!check.isValid || check.day !== Number(day)) return null;
  return { year, month: Number(month), day: Number(day) };
}

const sameWall = (dt: DateTime, wall: WallTime) =>
  dt.year === wall.year && dt.month === wall.month && dt.day === wall.day && dt.hour === wall.hour && dt.minute === wall.minute && dt.second === (wall.second ?? 0);

const utcIso = (dt: DateTime) => dt.toUTC().toISO({ suppressMilliseconds: true })!;

/** A wall time in a zone as an instant, telling a time that never happened or happened twice. */
export function wallTimeToInstant(wall: WallTime, zone: string, fold?: Fold): LocalReading {
  const dt = DateTime.fromObject(wall, { zone });
  if (!dt.isValid) return { kind: 'unreadable' };
  // Luxon moves a time inside a spring-forward gap to after it: the wall time then differs.
  if (!sameWall(dt, wall)) return { kind: 'nonexistent', wall };
  const twin = [dt.minus({ hours: 1 }), dt.plus({ hours: 1 })].map((t) => t.setZone(zone)).find((t) => sameWall(t, wall));
  if (!twin) return { kind: 'instant', at: utcIso(dt) };
  const [summer, winter] = dt.isInDST ? [dt, twin] : [twin, dt];
  if (fold) return { kind: 'instant', at: utcIso(fold === 'summer' ? summer : winter) };
  return { kind: 'ambiguous', wall, summer: utcIso(summer), winter: utcIso(winter) };
}

/**
 * A typed date and time, read in the agent's zone. A fold said in the text wins over the one
 * chosen beside it (a pasted line carries its own).
 */
export function readLocalDateTime(text: string, zone: string, fold?: Fold): LocalReading {
  const parsed = parseWallTime(text);
  if (!parsed) return { kind: 'unreadable' };
  return wallTimeToInstant(parsed.wall, zone, parsed.fold ?? fold);
}

const two = (n: number) => String(n).padStart(2, '0');

/** « 30/03/2025 à 02:30 ». */
export function wallTimeText(wall: WallTime): string {
  return `${two(wall.day)}/${two(wall.month)}/${wall.year} à ${two(wall.hour)}:${two(wall.minute)}`;
}

/**
 * Why a reading is refused, in French, naming the zone (« heure de Paris »): a time the clocks
 * jumped over, or one they passed twice with no choice made.
 */
export function clockChangeMessage(reading: LocalReading, zoneLabel: string): string | null {
  if (reading.kind === 'nonexistent') {
    return `Le ${wallTimeText(reading.wall)} n’a pas existé en ${zoneLabel} : cette nuit-là, les horloges ont avancé d’une heure (passage à l’heure d’été). Vérifiez l’heure relevée.`;
  }
  if (reading.kind === 'ambiguous') {
    return `Le ${wallTimeText(reading.wall)} a eu lieu deux fois en ${zoneLabel} : cette nuit-là, les horloges ont reculé d’une heure (passage à l’heure d’hiver). Précisez s’il s’agit de la première (heure d’été) ou de la seconde (heure d’hiver).`;
  }
  return null;
}

/** Wall-clock fields of an instant in a zone. */
export interface LocalClock {
  date: string;
  weekday: number;
  hour: number;
  minute: number;
  /** Set only for a time the clocks passed twice that day, to tell the two apart. */
  fold?: Fold;
}

const clockCache = new Map<string, Omit<LocalClock, 'minute'> & { minuteShift: number }>();
const UTC_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?Z$/;

function foldOf(local: DateTime, zone: string): Fold | undefined {
  const twin = [local.minus({ hours: 1 }), local.plus({ hours: 1 })].map((t) => t.setZone(zone)).find((t) => t.hour === local.hour && t.day === local.day);
  if (!twin) return undefined;
  return local.isInDST ? 'summer' : 'winter';
}

function clockOf(local: DateTime, zone: string): LocalClock {
  const fold = foldOf(local, zone);
  return { date: local.toISODate()!, weekday: local.weekday, hour: local.hour, minute: local.minute, ...(fold ? { fold } : {}) };
}

/**
 * The wall clock of an instant in a zone. Every zone Vigie uses is a whole number of hours from
 * UTC, so one UTC hour is one local hour: the zone computation (luxon) runs once per zone and UTC
 * hour seen, which keeps statistics over hundreds of thousands of consultations fast. A zone with
 * a part-hour offset would simply never be cached.
 */
export function localClock(at: string, zone: string): LocalClock {
  const utc = UTC_INSTANT.exec(at);
  if (!utc) {
    const local = DateTime.fromISO(at).setZone(zone);
    if (!local.isValid) throw new RangeError(`Invalid instant: ${at}`);
    return clockOf(local, zone);
  }
  const key = `${zone}|${utc[1]}`;
  let hour = clockCache.get(key);
  if (!hour) {
    const local = DateTime.fromISO(`${utc[1]}:00:00Z`).setZone(zone);
    if (!local.isValid) throw new RangeError(`Invalid instant: ${at}`);
    const { minute, ...rest } = clockOf(local, zone);
    hour = { ...rest, minuteShift: minute };
    if (minute !== 0) return clockOf(DateTime.fromISO(at).setZone(zone), zone);
    if (clockCache.size > 100_000) clockCache.clear();
    clockCache.set(key, hour);
  }
  const { minuteShift: _shift, ...fields } = hour;
  return { ...fields, minute: Number(utc[2]) };
}

/**
 * « 14/05/2024 21:15 », « 14/05/2024 21:15:07 » when the instant has seconds (the list gave them:
 * without them the text would read back a minute's start), plus « (heure d’hiver) » for a time the
 * clocks passed twice: what a form shows and reads back.
 */
export function instantToLocalText(at: string, zone: string): string {
  const clock = localClock(at, zone);
  const [year, month, day] = clock.date.split('-');
  // Every zone's offset is whole minutes: the UTC second is the local one.
  const second = new Date(at).getUTCSeconds();
  const text = `${day}/${month}/${year} ${two(clock.hour)}:${two(clock.minute)}${second ? `:${two(second)}` : ''}`;
  return clock.fold ? `${text} (${FOLD_LABELS[clock.fold]})` : text;
}
