import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Holidays from 'date-holidays';
import { easterSunday, frenchPublicHolidays, HOLIDAY_SOURCES, publicHolidayOn } from '../../src/domain/public-holidays';
import type { HolidayCalendar } from '../../src/domain/territories';

/**
 * Vigie's holiday table against a second source, the date-holidays library, for every calendar and
 * every year 2020–2035. One difference is documented and asserted as such: the library lists Good
 * Friday as a public holiday in Guadeloupe and Martinique, where shared/legal-references.md says it
 * is a local custom, not statutory.
 */
const YEARS = Array.from({ length: 16 }, (_, i) => 2020 + i);

/** Each calendar and the date-holidays country (and département) that should agree with it. */
const SECOND_SOURCE: Array<[HolidayCalendar, string, string?]> = [
  ['national', 'FR'],
  ['alsace_moselle', 'FR', '57'],
  ['alsace_moselle', 'FR', '67'],
  ['alsace_moselle', 'FR', '68'],
  ['guadeloupe', 'GP'],
  ['martinique', 'MQ'],
  ['guyane', 'GF'],
  ['reunion', 'RE'],
  ['mayotte', 'YT'],
];

/** Where the library lists Good Friday and we do not, on purpose (not statutory there). */
const ANTILLES_GOOD_FRIDAY: readonly HolidayCalendar[] = ['guadeloupe', 'martinique'];

const CALENDARS: readonly HolidayCalendar[] = ['national', 'alsace_moselle', 'guadeloupe', 'martinique', 'guyane', 'reunion', 'mayotte'];
const OVERSEAS: readonly HolidayCalendar[] = ['guadeloupe', 'martinique', 'guyane', 'reunion', 'mayotte'];

const libraryPublic = (holidays: Holidays, year: number) =>
  holidays.getHolidays(year).filter((h) => h.type === 'public').map((h) => ({ date: h.date.slice(0, 10), name: h.name }));
const distinct = (dates: string[]) => [...new Set(dates)].sort();
const ours = (year: number, calendar: HolidayCalendar) => distinct(frenchPublicHolidays(year, calendar).map((h) => h.date));
/** A calendar's holidays beyond the eleven national ones (by date and name: two may share a day). */
const beyondNational = (year: number, calendar: HolidayCalendar) => {
  const national = frenchPublicHolidays(year);
  return frenchPublicHolidays(year, calendar).filter((h) => !national.some((n) => n.date === h.date && n.name === h.name));
};
const goodFriday = (year: number) => easterSunday(year).minus({ days: 2 }).toISODate()!;

describe('public holidays agree with date-holidays, 2020–2035', () => {
  for (const [calendar, country, state] of SECOND_SOURCE) {
    const source = state ? `${country}-${state}` : country;
    it(`${calendar} = date-holidays ${source}${ANTILLES_GOOD_FRIDAY.includes(calendar) ? ', except Good Friday' : ''}`, () => {
      const holidays = state ? new Holidays(country, state) : new Holidays(country);
      for (const year of YEARS) {
        const library = libraryPublic(holidays, year);
        const theirs = distinct(library.map((h) => h.date));
        const mine = ours(year, calendar);
        assert.deepEqual(mine.filter((d) => !theirs.includes(d)), [], `${year}: dates only in Vigie's table`);
        const onlyTheirs = theirs.filter((d) => !mine.includes(d));
        if (ANTILLES_GOOD_FRIDAY.includes(calendar)) {
          // The documented difference, and nothing else: the library has Good Friday, we do not.
          assert.deepEqual(onlyTheirs, [goodFriday(year)], `${year}: only Good Friday differs`);
          assert.deepEqual(library.filter((h) => h.date === goodFriday(year)).map((h) => h.name), ['Vendredi saint']);
        } else {
          assert.deepEqual(onlyTheirs, [], `${year}: dates only in date-holidays`);
        }
      }
    });
  }

  for (const calendar of ANTILLES_GOOD_FRIDAY) {
    it(`Good Friday is not a public holiday in ${calendar} (local custom, not statutory)`, () => {
      for (const year of YEARS) assert.equal(publicHolidayOn(goodFriday(year), calendar), undefined, String(year));
      assert.doesNotMatch(HOLIDAY_SOURCES[calendar], /vendredi saint/i);
    });
  }
});

describe('Easter and the days that follow it', () => {
  // Easter Sundays, Gregorian calendar (checked against the published tables).
  const easters: Array<[number, string]> = [
    [2020, '2020-04-12'],
    [2021, '2021-04-04'],
    [2022, '2022-04-17'],
    [2023, '2023-04-09'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2028, '2028-04-16'],
    [2029, '2029-04-01'],
    [2030, '2030-04-21'],
    [2031, '2031-04-13'],
    [2032, '2032-03-28'],
    [2033, '2033-04-17'],
    [2034, '2034-04-09'],
    [2035, '2035-03-25'],
  ];
  for (const [year, date] of easters) {
    it(`Easter ${year} is Sunday ${date}; Easter Monday, Ascension and Whit Monday follow it`, () => {
      const easter = easterSunday(year);
      assert.equal(easter.toISODate(), date);
      assert.equal(easter.weekday, 7);
      assert.equal(publicHolidayOn(easter.plus({ days: 1 }).toISODate()!), 'Lundi de Pâques');
      assert.equal(easter.plus({ days: 39 }).weekday, 4);
      assert.equal(publicHolidayOn(easter.plus({ days: 50 }).toISODate()!), 'Lundi de Pentecôte');
      assert.equal(publicHolidayOn(easter.toISODate()!), undefined, 'Easter Sunday itself is no holiday of the Code du travail');
      assert.equal(publicHolidayOn(goodFriday(year), 'alsace_moselle'), 'Vendredi saint');
      assert.equal(publicHolidayOn(goodFriday(year)), undefined);
    });
  }
});

describe('names and counts', () => {
  it('names the eleven national holidays of 2024, in date order', () => {
    assert.deepEqual(
      frenchPublicHolidays(2024).map((h) => [h.date, h.name]),
      [
        ['2024-01-01', 'Jour de l’an'],
        ['2024-04-01', 'Lundi de Pâques'],
        ['2024-05-01', '1er mai'],
        ['2024-05-08', '8 mai'],
        ['2024-05-09', 'Ascension'],
        ['2024-05-20', 'Lundi de Pentecôte'],
        ['2024-07-14', '14 juillet'],
        ['2024-08-15', 'Assomption'],
        ['2024-11-01', 'Toussaint'],
        ['2024-11-11', '11 novembre'],
        ['2024-12-25', 'Noël'],
      ],
    );
  });

  it('Alsace-Moselle adds Vendredi saint and Saint-Étienne (2025)', () => {
    assert.deepEqual(beyondNational(2025, 'alsace_moselle'), [
      { date: '2025-04-18', name: 'Vendredi saint' },
      { date: '2025-12-26', name: 'Saint-Étienne' },
    ]);
  });

  // [calendar, abolition day, month-day]: loi n° 83-550, décret n° 83-1003 as amended.
  const abolition: Array<[HolidayCalendar, string, string]> = [
    ['guadeloupe', '05-27', '27 mai'],
    ['martinique', '05-22', '22 mai'],
    ['guyane', '06-10', '10 juin'],
    ['reunion', '12-20', '20 décembre'],
    ['mayotte', '04-27', '27 avril'],
  ];
  for (const [calendar, monthDay, french] of abolition) {
    it(`${calendar} adds the abolition of slavery day, ${french}, and only it`, () => {
      for (const year of YEARS) {
        assert.deepEqual(beyondNational(year, calendar), [{ date: `${year}-${monthDay}`, name: 'Abolition de l’esclavage' }], String(year));
        if (!(calendar === 'guyane' && year === 2030) && !(calendar === 'martinique' && year === 2031)) {
          assert.equal(publicHolidayOn(`${year}-${monthDay}`), undefined, `${year}: not a holiday on the mainland`);
        }
        for (const other of OVERSEAS.filter((c) => c !== calendar)) {
          if (other === 'guyane' && year === 2030) continue; // 10 June 2030 is Whit Monday everywhere
          if (other === 'martinique' && year === 2031) continue; // 22 May 2031 is Ascension everywhere
          assert.notEqual(publicHolidayOn(`${year}-${monthDay}`, other), 'Abolition de l’esclavage', `${year}: not ${other}'s day`);
        }
      }
      assert.match(HOLIDAY_SOURCES[calendar], new RegExp(`\\(${french}\\)$`), 'the source names the same day');
    });
  }

  it('11 national, 13 in Alsace-Moselle, 12 overseas, every year', () => {
    for (const year of YEARS) {
      for (const calendar of CALENDARS) {
        const expected = calendar === 'national' ? 11 : calendar === 'alsace_moselle' ? 13 : 12;
        const list = frenchPublicHolidays(year, calendar);
        assert.equal(list.length, expected, `${calendar} ${year}`);
        assert.ok(list.every((h) => h.date.startsWith(`${year}-`)), `${calendar} ${year}: all in the year`);
        assert.deepEqual(list.map((h) => h.date), [...list.map((h) => h.date)].sort(), `${calendar} ${year}: in date order`);
        for (const h of list) assert.ok(publicHolidayOn(h.date, calendar), `${calendar} ${h.date}`);
      }
    }
  });

  it('two holidays on one day: Whit Monday is 10 June 2030 in Guyane, Ascension is 22 May 2031 in Martinique', () => {
    assert.equal(ours(2030, 'guyane').length, 11);
    assert.equal(ours(2031, 'martinique').length, 11);
    assert.deepEqual(frenchPublicHolidays(2030, 'guyane').filter((h) => h.date === '2030-06-10').map((h) => h.name), ['Lundi de Pentecôte', 'Abolition de l’esclavage']);
    assert.deepEqual(frenchPublicHolidays(2031, 'martinique').filter((h) => h.date === '2031-05-22').map((h) => h.name), ['Ascension', 'Abolition de l’esclavage']);
    assert.equal(publicHolidayOn('2030-06-10', 'guyane'), 'Lundi de Pentecôte et Abolition de l’esclavage');
    assert.equal(publicHolidayOn('2031-05-22', 'martinique'), 'Ascension et Abolition de l’esclavage');
  });

  it('every source cites L3133-1, and Alsace-Moselle L3134-13', () => {
    for (const calendar of CALENDARS) assert.match(HOLIDAY_SOURCES[calendar], /L3133-1/, calendar);
    assert.match(HOLIDAY_SOURCES.alsace_moselle, /L3134-13/);
    assert.doesNotMatch(HOLIDAY_SOURCES.national, /L3134-13|83-550/);
  });

  it('an ordinary day is no holiday, and national is the default calendar', () => {
    assert.equal(publicHolidayOn('2024-05-14'), undefined);
    assert.equal(publicHolidayOn('2024-12-26'), undefined);
    assert.equal(publicHolidayOn('2024-12-26', 'alsace_moselle'), 'Saint-Étienne');
    assert.equal(publicHolidayOn('2024-12-20', 'reunion'), 'Abolition de l’esclavage');
    assert.equal(publicHolidayOn('2024-12-20', 'national'), undefined);
  });
});
