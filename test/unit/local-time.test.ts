import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  clockChangeMessage,
  type Fold,
  instantToLocalText,
  localClock,
  type LocalReading,
  parseWallTime,
  readLocalDateTime,
  type WallTime,
  wallTimeToInstant,
} from '../../src/domain/local-time';
import { TERRITORY_ZONES } from '../../src/domain/territories';

const PARIS = 'Europe/Paris';
const REUNION = 'Indian/Reunion';
const YEARS = Array.from({ length: 16 }, (_, i) => 2020 + i);

/** The last Sunday of a month, computed without luxon: the day the clocks change in the EU. */
function lastSunday(year: number, month: number): string {
  const last = new Date(Date.UTC(year, month, 0));
  last.setUTCDate(last.getUTCDate() - last.getUTCDay());
  return last.toISOString().slice(0, 10);
}
const frDate = (iso: string) => iso.split('-').reverse().join('/');
/** Both EU clock changes happen at 01:00 UTC. */
const TRANSITIONS_MS = YEARS.flatMap((y) => [Date.parse(`${lastSunday(y, 3)}T01:00:00Z`), Date.parse(`${lastSunday(y, 10)}T01:00:00Z`)]);

const instantOf = (reading: LocalReading) => (reading.kind === 'instant' ? reading.at : `(${reading.kind})`);

describe('French notation of a date and time', () => {
  // All read in Paris on Tuesday 14 May 2024 (summer time, UTC+2).
  const accepted: Array<[string, string]> = [
    ['14/05/2024 21:15', '2024-05-14T19:15:00Z'],
    ['14/05/2024 à 21h15', '2024-05-14T19:15:00Z'],
    ['14/05/2024 a 21h15', '2024-05-14T19:15:00Z'],
    ['14/05/24 21h15', '2024-05-14T19:15:00Z'],
    ['14/05/2024 21 h 15', '2024-05-14T19:15:00Z'],
    ['14/05/2024 21H15', '2024-05-14T19:15:00Z'],
    ['14/05/2024 21h', '2024-05-14T19:00:00Z'],
    ['2024-05-14T21:15', '2024-05-14T19:15:00Z'],
    ['2024-05-14 21:15', '2024-05-14T19:15:00Z'],
    ['14/05/2024, 21:15', '2024-05-14T19:15:00Z'],
    ['14.05.2024 21:15', '2024-05-14T19:15:00Z'],
    ['  14/05/2024    21:15  ', '2024-05-14T19:15:00Z'],
    ['4/5/2024 9:05', '2024-05-04T07:05:00Z'],
    ['14/05/2024 21:15:07', '2024-05-14T19:15:07Z'],
    ['14/05/2024 21:15:00', '2024-05-14T19:15:00Z'],
    ['2024-05-14T21:15:59', '2024-05-14T19:15:59Z'],
    ['29/02/2024 00:00', '2024-02-28T23:00:00Z'],
    ['14/05/2024 23:59', '2024-05-14T21:59:00Z'],
  ];
  for (const [text, at] of accepted) {
    it(`reads « ${text} »`, () => assert.deepEqual(readLocalDateTime(text, PARIS), { kind: 'instant', at }));
  }

  const refused: string[] = [
    '14/05/2024 21',
    '31/02/2024 10:00',
    '29/02/2023 10:00',
    '14/13/2024 10:00',
    '14/05/2024 24:00',
    '14/05/0024 10:00', // a typo for 2024: years before 2000 are refused
    '14/05/2024 21:60',
    '14/05/2024 21:15:60',
    '14/05/2024 21h5',
    '14/05/2024',
    '21:15',
    'hier soir vers 21h',
    'été',
    '',
    '14/05/2024 21:15 et 22:00',
  ];
  for (const text of refused) {
    it(`refuses « ${text} »`, () => {
      assert.equal(parseWallTime(text), null);
      assert.deepEqual(readLocalDateTime(text, PARIS), { kind: 'unreadable' });
    });
  }

  it('keeps the seconds when the list gives them, and leaves them out when zero', () => {
    assert.deepEqual(parseWallTime('14/05/2024 21:15:07')?.wall, { year: 2024, month: 5, day: 14, hour: 21, minute: 15, second: 7 });
    assert.deepEqual(parseWallTime('14/05/2024 21:15:00')?.wall, { year: 2024, month: 5, day: 14, hour: 21, minute: 15 });
    assert.deepEqual(parseWallTime('14/05/2024 21h15')?.wall, { year: 2024, month: 5, day: 14, hour: 21, minute: 15 });
  });

  it('a two-digit year is this century’s', () => {
    assert.equal(parseWallTime('01/01/20 10:00')?.wall.year, 2020);
    assert.equal(parseWallTime('31/12/35 10:00')?.wall.year, 2035);
    assert.equal(parseWallTime('29/02/24 10:00')?.wall.day, 29);
    assert.equal(parseWallTime('29/02/23 10:00'), null, '2023 has no 29 February');
  });

  const marks: Array<[string, Fold]> = [
    ['27/10/2024 02:30 (été)', 'summer'],
    ['27/10/2024 02:30 (hiver)', 'winter'],
    ['27/10/2024 02:30 (heure d’été)', 'summer'],
    ['27/10/2024 02:30 (heure d\'hiver)', 'winter'],
    ['27/10/2024 02:30 heure d’hiver', 'winter'],
    ['27/10/2024 02h30 été', 'summer'],
    ['27/10/2024 02:30 (ete)', 'summer'],
    ['27/10/2024 02:30 (HIVER)', 'winter'],
    // Pasted from a PDF, accents may come decomposed (e + combining acute).
    ['27/10/2024 02:30 (e\u0301te\u0301)', 'summer'],
  ];
  for (const [text, fold] of marks) {
    it(`reads the fold mark of « ${text} »`, () => {
      assert.deepEqual(parseWallTime(text), { wall: { year: 2024, month: 10, day: 27, hour: 2, minute: 30 }, fold });
    });
  }

  it('a fold said in the text wins over the one chosen beside it', () => {
    assert.deepEqual(readLocalDateTime('27/10/2024 02:30 (hiver)', PARIS, 'summer'), { kind: 'instant', at: '2024-10-27T01:30:00Z' });
    assert.deepEqual(readLocalDateTime('27/10/2024 02:30', PARIS, 'summer'), { kind: 'instant', at: '2024-10-27T00:30:00Z' });
  });

  it('a fold mark on a time the clocks passed once changes nothing', () => {
    assert.deepEqual(readLocalDateTime('14/05/2024 21:15 (hiver)', PARIS), { kind: 'instant', at: '2024-05-14T19:15:00Z' });
    assert.deepEqual(readLocalDateTime('14/01/2024 21:15 (été)', PARIS), { kind: 'instant', at: '2024-01-14T20:15:00Z' });
  });

  it('an impossible wall time is unreadable', () => {
    assert.deepEqual(wallTimeToInstant({ year: 2024, month: 13, day: 1, hour: 0, minute: 0 }, PARIS), { kind: 'unreadable' });
  });

  it('the zone decides the instant', () => {
    assert.equal(instantOf(readLocalDateTime('14/05/2024 21:15', REUNION)), '2024-05-14T17:15:00Z');
    assert.equal(instantOf(readLocalDateTime('14/05/2024 21:15', 'America/Martinique')), '2024-05-15T01:15:00Z');
    assert.equal(instantOf(readLocalDateTime('14/05/2024 21:15', 'America/Cayenne')), '2024-05-15T00:15:00Z');
    assert.equal(instantOf(readLocalDateTime('14/05/2024 21:15', 'Indian/Mayotte')), '2024-05-14T18:15:00Z');
    assert.equal(instantOf(readLocalDateTime('14/01/2024 21:15', PARIS)), '2024-01-14T20:15:00Z');
  });
});

describe('clock changes in Paris, every year 2020–2035', () => {
  for (const year of YEARS) {
    const spring = lastSunday(year, 3);
    const autumn = lastSunday(year, 10);
    it(`${year}: ${spring} 02:00–02:59 never happened; ${autumn} 02:00–02:59 happened twice`, () => {
      for (const minute of [0, 30, 59]) {
        const mm = String(minute).padStart(2, '0');
        const gap = readLocalDateTime(`${frDate(spring)} 02:${mm}`, PARIS);
        assert.equal(gap.kind, 'nonexistent', `${spring} 02:${mm}`);
        assert.equal(readLocalDateTime(`${frDate(spring)} 02:${mm}`, PARIS, 'summer').kind, 'nonexistent', 'a fold does not make it exist');
        assert.equal(readLocalDateTime(`${frDate(spring)} 02:${mm} (hiver)`, PARIS).kind, 'nonexistent');

        const twice = readLocalDateTime(`${frDate(autumn)} 02:${mm}`, PARIS);
        assert.deepEqual(twice, {
          kind: 'ambiguous',
          wall: { year, month: 10, day: Number(autumn.slice(8)), hour: 2, minute },
          summer: `${autumn}T00:${mm}:00Z`,
          winter: `${autumn}T01:${mm}:00Z`,
        });
        assert.equal(instantOf(readLocalDateTime(`${frDate(autumn)} 02:${mm}`, PARIS, 'summer')), `${autumn}T00:${mm}:00Z`);
        assert.equal(instantOf(readLocalDateTime(`${frDate(autumn)} 02:${mm}`, PARIS, 'winter')), `${autumn}T01:${mm}:00Z`);
        assert.equal(instantOf(readLocalDateTime(`${frDate(autumn)} 02h${mm} (été)`, PARIS)), `${autumn}T00:${mm}:00Z`);
        assert.equal(instantOf(readLocalDateTime(`${frDate(autumn)} 02h${mm} (hiver)`, PARIS)), `${autumn}T01:${mm}:00Z`);
      }
      // Either side of the change, one reading only.
      assert.equal(instantOf(readLocalDateTime(`${frDate(spring)} 01:59`, PARIS)), `${spring}T00:59:00Z`);
      assert.equal(instantOf(readLocalDateTime(`${frDate(spring)} 03:00`, PARIS)), `${spring}T01:00:00Z`);
      assert.equal(instantOf(readLocalDateTime(`${frDate(autumn)} 01:59`, PARIS)), new Date(Date.parse(`${autumn}T00:00:00Z`) - 60_000).toISOString().replace('.000Z', 'Z'), '01:59 summer time is 23:59 UTC the day before');
      assert.equal(instantOf(readLocalDateTime(`${frDate(autumn)} 03:00`, PARIS)), `${autumn}T02:00:00Z`);
      // The Sunday before and after: no change.
      const weekBefore = DateTime.fromISO(autumn).minus({ days: 7 }).toISODate()!;
      assert.equal(readLocalDateTime(`${frDate(weekBefore)} 02:30`, PARIS).kind, 'instant');
      const weekAfter = DateTime.fromISO(spring).plus({ days: 7 }).toISODate()!;
      assert.equal(readLocalDateTime(`${frDate(weekAfter)} 02:30`, PARIS).kind, 'instant');
    });
  }

  it('the local clock tells the two 02:30 of 27 October 2024 apart', () => {
    assert.deepEqual(localClock('2024-10-27T00:30:00Z', PARIS), { date: '2024-10-27', weekday: 7, hour: 2, minute: 30, fold: 'summer' });
    assert.deepEqual(localClock('2024-10-27T01:30:00Z', PARIS), { date: '2024-10-27', weekday: 7, hour: 2, minute: 30, fold: 'winter' });
    assert.deepEqual(localClock('2024-10-27T02:30:00+02:00', PARIS), localClock('2024-10-27T00:30:00Z', PARIS));
    assert.deepEqual(localClock('2024-10-27T02:30:00+01:00', PARIS), localClock('2024-10-27T01:30:00Z', PARIS));
    assert.equal(localClock('2024-10-26T23:59:00Z', PARIS).fold, undefined, '01:59 summer time: passed once');
    assert.equal(localClock('2024-10-27T02:00:00Z', PARIS).fold, undefined, '03:00 winter time: passed once');
    assert.equal(localClock('2024-03-31T01:30:00Z', PARIS).fold, undefined);
    assert.equal(localClock('2024-03-31T01:30:00Z', PARIS).hour, 3);
    assert.throws(() => localClock('pas une date', PARIS), RangeError);
  });

  it('shows a doubled time with its clock, and the seconds when there are some', () => {
    assert.equal(instantToLocalText('2024-10-27T00:30:00Z', PARIS), '27/10/2024 02:30 (heure d’été)');
    assert.equal(instantToLocalText('2024-10-27T01:30:00Z', PARIS), '27/10/2024 02:30 (heure d’hiver)');
    assert.equal(instantToLocalText('2024-10-27T01:30:09.000Z', PARIS), '27/10/2024 02:30:09 (heure d’hiver)');
    assert.equal(instantToLocalText('2024-05-14T19:15:00Z', PARIS), '14/05/2024 21:15');
    assert.equal(instantToLocalText('2024-05-14T19:15:07Z', PARIS), '14/05/2024 21:15:07');
    assert.equal(instantToLocalText('2024-05-14T21:15:07+02:00', PARIS), '14/05/2024 21:15:07');
    assert.equal(instantToLocalText('2024-05-14T17:30:00Z', REUNION), '14/05/2024 21:30');
    assert.equal(instantToLocalText('2024-10-27T00:30:00Z', REUNION), '27/10/2024 04:30', 'no fold where the clocks do not change');
  });

  it('says in French why a time is refused, naming the zone', () => {
    const gap = readLocalDateTime('30/03/2025 02:30', PARIS);
    assert.equal(
      clockChangeMessage(gap, 'heure de Paris'),
      'Le 30/03/2025 à 02:30 n’a pas existé en heure de Paris : cette nuit-là, les horloges ont avancé d’une heure (passage à l’heure d’été). Vérifiez l’heure relevée.',
    );
    const twice = readLocalDateTime('26/10/2025 02h05', PARIS);
    assert.equal(
      clockChangeMessage(twice, 'heure de Paris'),
      'Le 26/10/2025 à 02:05 a eu lieu deux fois en heure de Paris : cette nuit-là, les horloges ont reculé d’une heure (passage à l’heure d’hiver). Précisez s’il s’agit de la première (heure d’été) ou de la seconde (heure d’hiver).',
    );
    assert.match(clockChangeMessage(twice, 'heure de Strasbourg') ?? '', /deux fois en heure de Strasbourg/);
    assert.equal(clockChangeMessage(readLocalDateTime('26/10/2025 03:05', PARIS), 'heure de Paris'), null);
    assert.equal(clockChangeMessage({ kind: 'unreadable' }, 'heure de Paris'), null);
  });
});

describe('overseas zones: no clock change, 2020–2035', () => {
  const offsets: Array<[string, number]> = [
    ['America/Guadeloupe', -240],
    ['America/Martinique', -240],
    ['America/Cayenne', -180],
    ['Indian/Reunion', 240],
    ['Indian/Mayotte', 180],
  ];
  for (const [zone, offset] of offsets) {
    it(`${zone} stays at UTC${offset > 0 ? '+' : ''}${offset / 60}, and the Paris nights read once`, () => {
      for (const year of YEARS) {
        for (let month = 1; month <= 12; month++) {
          assert.equal(DateTime.fromObject({ year, month, day: 15 }, { zone }).offset, offset, `${year}-${month}`);
        }
        for (const day of [lastSunday(year, 3), lastSunday(year, 10)]) {
          for (const hour of ['00', '01', '02', '03']) {
            const reading = readLocalDateTime(`${frDate(day)} ${hour}:30`, zone);
            assert.equal(reading.kind, 'instant', `${day} ${hour}:30`);
          }
        }
      }
    });
  }

  it('every overseas zone of a territory is in this list', () => {
    assert.deepEqual(TERRITORY_ZONES.filter((z) => z !== PARIS).sort(), offsets.map(([z]) => z).sort());
  });
});

describe('properties: every zone, 2020–2035', () => {
  const START_MINUTE = Date.UTC(2020, 0, 1) / 60_000;
  const END_MINUTE = Date.UTC(2035, 11, 31, 23, 59) / 60_000;
  const anyMinute = fc.integer({ min: START_MINUTE, max: END_MINUTE }).map((m) => m * 60_000);
  const nearChangeMinute = fc.tuple(fc.constantFrom(...TRANSITIONS_MS), fc.integer({ min: -180, max: 180 })).map(([t, m]) => t + m * 60_000);
  const anySecond = fc.tuple(anyMinute, fc.integer({ min: 0, max: 59 })).map(([ms, s]) => ms + s * 1000);
  const nearChangeSecond = fc.tuple(fc.constantFrom(...TRANSITIONS_MS), fc.integer({ min: -180 * 60, max: 180 * 60 })).map(([t, s]) => t + s * 1000);
  /** Both ISO spellings the database may hold: with and without milliseconds. */
  const spelled = (ms: number, withMillis: boolean) => (withMillis ? new Date(ms).toISOString() : new Date(ms).toISOString().replace('.000Z', 'Z'));

  const roundTrip = (ms: number, withMillis: boolean, zone: string) => {
    const at = spelled(ms, withMillis);
    const text = instantToLocalText(at, zone);
    const reading = readLocalDateTime(text, zone);
    assert.equal(reading.kind, 'instant', `${at} → « ${text} » in ${zone}: ${reading.kind}`);
    assert.equal(Date.parse(instantOf(reading)), ms, `${at} → « ${text} » → ${instantOf(reading)} in ${zone}`);
  };

  // Whole minutes and seconds, anywhere in the years or within three hours of a Paris clock change.
  const anyInstant = fc.oneof(anyMinute, nearChangeMinute, anySecond, nearChangeSecond);
  for (const zone of TERRITORY_ZONES) {
    it(`${zone}: instant → local text → the same instant (near the clock changes too)`, () => {
      fc.assert(fc.property(anyInstant, fc.boolean(), (ms, withMillis) => roundTrip(ms, withMillis, zone)), { numRuns: 120 });
    });
  }

  it('Paris: every minute of the 2024 autumn night reads back, fold mark included', () => {
    const start = Date.parse('2024-10-26T22:00:00Z');
    for (let m = 0; m < 300; m++) roundTrip(start + m * 60_000, false, PARIS);
  });

  const two = (n: number) => String(n).padStart(2, '0');
  const transitionDays = YEARS.flatMap((y) => [lastSunday(y, 3), lastSunday(y, 10)]).map((d) => d.split('-').map(Number) as [number, number, number]);
  const anyWall = fc
    .record({
      year: fc.integer({ min: 2020, max: 2035 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
    })
    .filter((w) => new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDate() === w.day);
  const transitionWall = fc
    .record({
      ymd: fc.constantFrom(...transitionDays),
      hour: fc.integer({ min: 0, max: 4 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
    })
    .map(({ ymd: [year, month, day], hour, minute, second }) => ({ year, month, day, hour, minute, second }));
  /** The notations a rep may use; only the colon ones carry seconds. */
  const notation = fc.constantFrom('colon', 'seconds', 'h', 'spaced', 'iso', 'short-year');
  const written = (w: Required<WallTime>, how: string) => {
    const date = `${two(w.day)}/${two(w.month)}/${w.year}`;
    switch (how) {
      case 'seconds':
        return `${date} ${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;
      case 'h':
        return `${date} à ${w.hour}h${two(w.minute)}`;
      case 'spaced':
        return `${date} ${w.hour} h ${two(w.minute)}`;
      case 'iso':
        return `${w.year}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}`;
      case 'short-year':
        return `${two(w.day)}/${two(w.month)}/${String(w.year).slice(2)} ${two(w.hour)}h${two(w.minute)}`;
      default:
        return `${date} ${two(w.hour)}:${two(w.minute)}`;
    }
  };

  for (const zone of TERRITORY_ZONES) {
    it(`${zone}: a wall time reads as an instant showing the same time, or is refused only on a Paris clock-change night`, () => {
      fc.assert(
        fc.property(fc.oneof(anyWall, transitionWall), notation, (w, how) => {
          const second = how === 'seconds' ? w.second : 0;
          const text = written(w, how);
          const shown = `${two(w.day)}/${two(w.month)}/${w.year} ${two(w.hour)}:${two(w.minute)}${second ? `:${two(second)}` : ''}`;
          const iso = `${w.year}-${two(w.month)}-${two(w.day)}`;
          const expected = zone === PARIS && w.hour === 2 && iso === lastSunday(w.year, 3) ? 'nonexistent' : zone === PARIS && w.hour === 2 && iso === lastSunday(w.year, 10) ? 'ambiguous' : 'instant';
          const reading = readLocalDateTime(text, zone);
          assert.equal(reading.kind, expected, `« ${text} » in ${zone}`);
          if (reading.kind === 'instant') {
            assert.equal(instantToLocalText(reading.at, zone), shown, `« ${text} » in ${zone}`);
          } else if (reading.kind === 'ambiguous') {
            assert.equal(Date.parse(reading.winter) - Date.parse(reading.summer), 3_600_000);
            assert.equal(instantToLocalText(reading.summer, zone), `${shown} (heure d’été)`);
            assert.equal(instantToLocalText(reading.winter, zone), `${shown} (heure d’hiver)`);
          }
        }),
        { numRuns: 120 },
      );
    });
  }
});
