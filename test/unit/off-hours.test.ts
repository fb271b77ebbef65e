import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classifyConsultation,
  outOfHoursWork,
  summariseConsultations,
  type WorkingPattern,
} from '../../src/domain/off-hours';
import { PARIS_TERRITORY, territoryOf } from '../../src/domain/territories';
import { easterSunday, frenchPublicHolidays, publicHolidayOn } from '../../src/domain/public-holidays';

const OFFICE: WorkingPattern = { days: [1, 2, 3, 4, 5], start: '08:30', end: '17:00' };

describe('public holidays', () => {
  const easters: Array<[number, string]> = [
    [2023, '2023-04-09'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2038, '2038-04-25'],
  ];
  for (const [year, date] of easters) {
    it(`Easter ${year} is ${date}`, () => assert.equal(easterSunday(year).toISODate(), date));
  }

  it('lists the eleven national holidays of 2024 with the movable ones', () => {
    const list = frenchPublicHolidays(2024);
    assert.equal(list.length, 11);
    assert.deepEqual(
      list.map((h) => h.date),
      ['2024-01-01', '2024-04-01', '2024-05-01', '2024-05-08', '2024-05-09', '2024-05-20', '2024-07-14', '2024-08-15', '2024-11-01', '2024-11-11', '2024-12-25'],
    );
  });

  it('adds Good Friday and 26 December in Alsace-Moselle only', () => {
    assert.equal(publicHolidayOn('2024-03-29'), undefined);
    assert.equal(publicHolidayOn('2024-03-29', 'alsace_moselle'), 'Vendredi saint');
    assert.equal(publicHolidayOn('2024-12-26', 'alsace_moselle'), 'Saint-Étienne');
    assert.equal(publicHolidayOn('2024-05-09'), 'Ascension');
  });
});

describe('classifyConsultation (Paris time)', () => {
  const cases: Array<{ name: string; at: string; odd: boolean; reasons: string[]; time: string; within: boolean | null; pattern?: WorkingPattern }> = [
    { name: 'weekday 10:00 in summer (UTC+2)', at: '2024-05-14T08:00:00Z', odd: false, reasons: [], time: '10:00', within: true, pattern: OFFICE },
    { name: '19:59 is not yet odd hours', at: '2024-05-14T17:59:00Z', odd: false, reasons: [], time: '19:59', within: false, pattern: OFFICE },
    { name: '20:00 sharp starts the window', at: '2024-05-14T18:00:00Z', odd: true, reasons: ['night'], time: '20:00', within: false, pattern: OFFICE },
    { name: 'midnight is inside', at: '2024-05-14T22:00:00Z', odd: true, reasons: ['night'], time: '00:00', within: false, pattern: OFFICE },
    { name: '04:59 is inside', at: '2024-05-15T02:59:00Z', odd: true, reasons: ['night'], time: '04:59', within: null },
    { name: '05:00 is outside', at: '2024-05-15T03:00:00Z', odd: false, reasons: [], time: '05:00', within: null },
    { name: 'winter: 19:30 UTC is 20:30 in Paris (UTC+1)', at: '2024-01-16T19:30:00Z', odd: true, reasons: ['night'], time: '20:30', within: false, pattern: OFFICE },
    { name: 'winter: 19:30 Paris is not odd though 18:30 UTC', at: '2024-01-16T18:30:00Z', odd: false, reasons: [], time: '19:30', within: false, pattern: OFFICE },
    { name: 'Saturday afternoon', at: '2024-05-18T13:00:00Z', odd: true, reasons: ['saturday'], time: '15:00', within: false, pattern: OFFICE },
    { name: 'Sunday night counts twice', at: '2024-05-19T21:00:00Z', odd: true, reasons: ['night', 'sunday'], time: '23:00', within: false, pattern: OFFICE },
    { name: 'UTC Friday 23:30 is Saturday 01:30 in Paris', at: '2024-05-17T23:30:00Z', odd: true, reasons: ['night', 'saturday'], time: '01:30', within: false, pattern: OFFICE },
    { name: 'public holiday on a weekday (Ascension 2024)', at: '2024-05-09T08:00:00Z', odd: true, reasons: ['public_holiday'], time: '10:00', within: false, pattern: OFFICE },
    { name: 'DST start: 31 March 2024 01:30 UTC is 03:30 Paris', at: '2024-03-31T01:30:00Z', odd: true, reasons: ['night', 'sunday'], time: '03:30', within: null },
    { name: 'DST end: 27 Oct 2024 00:30 UTC is 02:30 CEST', at: '2024-10-27T00:30:00Z', odd: true, reasons: ['night', 'sunday'], time: '02:30', within: null },
    { name: 'DST end: 27 Oct 2024 01:30 UTC is 02:30 CET', at: '2024-10-27T01:30:00Z', odd: true, reasons: ['night', 'sunday'], time: '02:30', within: null },
    { name: 'an offset other than Z is honoured', at: '2024-05-14T21:15:00+02:00', odd: true, reasons: ['night'], time: '21:15', within: false, pattern: OFFICE },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = classifyConsultation(c.at, c.pattern);
      assert.equal(result.localTime, c.time);
      assert.equal(result.oddHours, c.odd);
      assert.deepEqual(result.reasons, c.reasons);
      assert.equal(result.withinDeclaredHours, c.within);
    });
  }

  it('a night-shift pattern crossing midnight covers the early hours of the next day', () => {
    const nights: WorkingPattern = { days: [1, 2, 3, 4, 5], start: '21:00', end: '05:00' };
    assert.equal(classifyConsultation('2024-05-14T20:00:00Z', nights).withinDeclaredHours, true, 'Tuesday 22:00');
    assert.equal(classifyConsultation('2024-05-15T01:00:00Z', nights).withinDeclaredHours, true, 'Wednesday 03:00 belongs to Tuesday night');
    assert.equal(classifyConsultation('2024-05-13T01:00:00Z', nights).withinDeclaredHours, false, 'Monday 03:00 belongs to Sunday night, not worked');
  });

  it('rejects an invalid instant', () => {
    assert.throws(() => classifyConsultation('pas une date'), RangeError);
  });
});

describe('summariseConsultations', () => {
  it('counts and phrases odd-hours consultations against declared hours', () => {
    const summary = summariseConsultations(
      ['2024-05-14T19:00:00Z', '2024-05-14T22:30:00Z', '2024-05-18T09:00:00Z', '2024-05-15T08:00:00Z'],
      OFFICE,
    );
    assert.equal(summary.total, 4);
    assert.equal(summary.night, 2);
    assert.equal(summary.weekend, 1);
    assert.equal(summary.oddHours, 3);
    assert.equal(summary.directionWindow, 3);
    assert.equal(summary.withinDeclaredHours, 0, 'the 10:00 Wednesday consultation is within hours but not flagged: it does not count');
    assert.equal(summary.notWithinDeclaredHours, 3);
    assert.equal(
      summary.sentence,
      'Sur les 4 consultations relevées, 3 ont eu lieu à un horaire « hors normes » au sens de la direction (entre 20 h et 5 h, et le week-end), à l’heure locale de l’agent (heure de Paris) : 2 entre 20 h et 5 h, 1 le week-end. Ces 3 consultations « hors normes » se situent toutes en dehors des horaires de travail déclarés de l’agent.',
    );
  });

  // Issue 12: one consultation at 10:00 and one at 22:30 used to give « 1 pendant les horaires déclarés ».
  const table: Array<{ name: string; instants: string[]; pattern: WorkingPattern | null; within: number; notWithin: number; sentence: RegExp }> = [
    { name: '10:00 and 22:30, office hours', instants: ['2024-05-14T08:00:00Z', '2024-05-14T20:30:00Z'], pattern: OFFICE, within: 0, notWithin: 1, sentence: /Celle-ci se situe en dehors des horaires/ },
    { name: '10:00 and 22:30, evening shift to 23:00', instants: ['2024-05-14T08:00:00Z', '2024-05-14T20:30:00Z'], pattern: { days: [1, 2, 3, 4, 5], start: '14:00', end: '23:00' }, within: 1, notWithin: 0, sentence: /Celle-ci se situe pendant les horaires/ },
    { name: 'two evenings both worked', instants: ['2024-05-14T18:30:00Z', '2024-05-15T19:00:00Z'], pattern: { days: [1, 2, 3, 4, 5], start: '12:00', end: '22:00' }, within: 2, notWithin: 0, sentence: /se situent toutes deux pendant les horaires/ },
    { name: 'pattern unknown', instants: ['2024-05-14T20:30:00Z'], pattern: null, within: 0, notWithin: 1, sentence: /horaires de travail de l’agent ne sont pas renseignés/ },
  ];
  for (const c of table) {
    it(`counts only flagged consultations within declared hours: ${c.name}`, () => {
      const summary = summariseConsultations(c.instants, c.pattern);
      assert.equal(summary.withinDeclaredHours, c.within);
      assert.equal(summary.notWithinDeclaredHours, c.notWithin);
      assert.match(summary.sentence, c.sentence);
    });
  }

  it('presents a public holiday as Vigie’s addition, never as the direction’s definition', () => {
    // Wednesday 8 May 2024 at 10:00 (Victoire 1945) and Tuesday 14 May at 22:30.
    const summary = summariseConsultations(['2024-05-08T08:00:00Z', '2024-05-14T20:30:00Z'], OFFICE);
    assert.equal(summary.directionWindow, 1);
    assert.equal(summary.holidayOnly, 1);
    assert.equal(summary.oddHours, 2);
    assert.match(summary.sentence, /au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de Paris\)/);
    assert.match(summary.sentence, /une autre a eu lieu un jour férié, ce que nous relevons en plus/);
    assert.doesNotMatch(summary.sentence.split('. ')[0]!, /férié/, 'the sentence giving the direction’s definition names no holiday');
  });

  it('says when the working pattern is unknown', () => {
    const summary = summariseConsultations(['2024-05-14T19:00:00Z'], null);
    assert.equal(summary.patternKnown, false);
    assert.match(summary.sentence, /horaires de travail de l’agent ne sont pas renseignés/);
  });

  it('handles no consultation', () => {
    assert.equal(summariseConsultations([]).sentence, 'Aucune consultation relevée.');
  });
});

describe('the agent’s own clock and holidays (territory)', () => {
  const MARTINIQUE = territoryOf('MTQ');
  const REUNION = territoryOf('REU');
  const GUYANE = territoryOf('GUY');
  const GUADELOUPE = territoryOf('GUA');
  const MAYOTTE = territoryOf('MAY');
  const MOSELLE = territoryOf('GES', '57');

  // [name, instant, territory, local date, local time, reasons]
  const table: Array<[string, string, ReturnType<typeof territoryOf>, string, string, string[]]> = [
    ['22:10 in Paris (Tuesday 14 May 2024, UTC+2) is night there', '2024-05-14T20:10:00Z', PARIS_TERRITORY, '2024-05-14', '22:10', ['night']],
    ['… and 16:10 in Martinique (UTC−4): not odd there', '2024-05-14T20:10:00Z', MARTINIQUE, '2024-05-14', '16:10', []],
    ['17:30 UTC is 19:30 in Paris: not odd', '2024-05-14T17:30:00Z', PARIS_TERRITORY, '2024-05-14', '19:30', []],
    ['… and 21:30 in La Réunion (UTC+4): odd there', '2024-05-14T17:30:00Z', REUNION, '2024-05-14', '21:30', ['night']],
    ['17:30 UTC is 20:30 in Mayotte (UTC+3)', '2024-05-14T17:30:00Z', MAYOTTE, '2024-05-14', '20:30', ['night']],
    ['23:30 UTC on Tuesday is 20:30 in Guyane (UTC−3)', '2024-05-14T23:30:00Z', GUYANE, '2024-05-14', '20:30', ['night']],
    ['… and 19:30 in Guadeloupe (UTC−4): not odd', '2024-05-14T23:30:00Z', GUADELOUPE, '2024-05-14', '19:30', []],
    ['02:00 UTC on Saturday 18 May 2024 is Saturday 04:00 in Paris', '2024-05-18T02:00:00Z', PARIS_TERRITORY, '2024-05-18', '04:00', ['night', 'saturday']],
    ['… Friday 22:00 in Martinique: night, not the week-end', '2024-05-18T02:00:00Z', MARTINIQUE, '2024-05-17', '22:00', ['night']],
    ['… Saturday 06:00 in La Réunion: the week-end, not the night', '2024-05-18T02:00:00Z', REUNION, '2024-05-18', '06:00', ['saturday']],
    ['Good Friday 29 March 2024, 10:00 in Paris (UTC+1): a working day in Lille', '2024-03-29T09:00:00Z', territoryOf('HDF', '59'), '2024-03-29', '10:00', []],
    ['… a public holiday in Moselle', '2024-03-29T09:00:00Z', MOSELLE, '2024-03-29', '10:00', ['public_holiday']],
    ['… not one in Martinique, where it is a custom only (05:00)', '2024-03-29T09:00:00Z', MARTINIQUE, '2024-03-29', '05:00', []],
    ['Friday 20 December 2024, 10:00 in La Réunion: its abolition day', '2024-12-20T06:00:00Z', REUNION, '2024-12-20', '10:00', ['public_holiday']],
    ['… the same instant, 07:00 in Paris: an ordinary Friday', '2024-12-20T06:00:00Z', PARIS_TERRITORY, '2024-12-20', '07:00', []],
    ['22:00 UTC on 19 December 2024 is already 20 December, 02:00, in La Réunion', '2024-12-19T22:00:00Z', REUNION, '2024-12-20', '02:00', ['night', 'public_holiday']],
    ['… and still 19 December, 23:00, in Paris', '2024-12-19T22:00:00Z', PARIS_TERRITORY, '2024-12-19', '23:00', ['night']],
    ['Thursday 26 December 2024, 10:00: Saint-Étienne in Moselle', '2024-12-26T09:00:00Z', MOSELLE, '2024-12-26', '10:00', ['public_holiday']],
    ['Wednesday 22 May 2024, 10:00 in Martinique: its abolition day', '2024-05-22T14:00:00Z', MARTINIQUE, '2024-05-22', '10:00', ['public_holiday']],
  ];
  for (const [name, at, territory, date, time, reasons] of table) {
    it(name, () => {
      const c = classifyConsultation(at, OFFICE, territory);
      assert.deepEqual([c.localDate, c.localTime, c.reasons, c.oddHours], [date, time, reasons, reasons.length > 0]);
      assert.equal(c.holidayName !== undefined, reasons.includes('public_holiday'));
    });
  }

  it('names the local holiday and counts it outside the declared hours', () => {
    const c = classifyConsultation('2024-12-20T06:00:00Z', OFFICE, REUNION);
    assert.equal(c.holidayName, 'Abolition de l’esclavage');
    assert.equal(c.withinDeclaredHours, false, 'a holiday is never a declared working day');
    assert.equal(classifyConsultation('2024-12-20T06:00:00Z', null, REUNION).withinDeclaredHours, null);
    assert.equal(classifyConsultation('2024-03-29T09:00:00Z', OFFICE, MOSELLE).holidayName, 'Vendredi saint');
  });

  it('declared hours are read on the agent’s clock', () => {
    // 05:00 UTC on Tuesday 14 May 2024: 09:00 in La Réunion (office hours), 07:00 in Paris (not yet).
    assert.equal(classifyConsultation('2024-05-14T05:00:00Z', OFFICE, REUNION).withinDeclaredHours, true);
    assert.equal(classifyConsultation('2024-05-14T05:00:00Z', OFFICE).withinDeclaredHours, false);
  });

  it('tells the two 02:30 of the night the clocks go back apart, in Paris only', () => {
    assert.equal(classifyConsultation('2024-10-27T00:30:00Z').fold, 'summer');
    assert.equal(classifyConsultation('2024-10-27T01:30:00Z').fold, 'winter');
    assert.equal(classifyConsultation('2024-10-27T01:30:00Z').localTime, '02:30');
    assert.equal('fold' in classifyConsultation('2024-10-27T02:30:00Z'), false, '03:30: passed once');
    assert.equal('fold' in classifyConsultation('2024-05-14T20:10:00Z'), false);
    assert.equal('fold' in classifyConsultation('2024-10-27T00:30:00Z', null, REUNION), false);
  });

  it('the summary says the clock it counts in', () => {
    // Tuesday 14 May 2024 at 17:30 UTC (21:30 in La Réunion) and Wednesday 15 at 06:00 UTC (10:00).
    const summary = summariseConsultations(['2024-05-14T17:30:00Z', '2024-05-15T06:00:00Z'], OFFICE, REUNION);
    assert.equal(summary.zoneLabel, 'heure de La Réunion');
    assert.deepEqual([summary.total, summary.night, summary.directionWindow], [2, 1, 1]);
    assert.equal(
      summary.sentence,
      'Sur les 2 consultations relevées, 1 a eu lieu à un horaire « hors normes » au sens de la direction (entre 20 h et 5 h, et le week-end), à l’heure locale de l’agent (heure de La Réunion). Celle-ci se situe en dehors des horaires de travail déclarés de l’agent.',
    );
    const paris = summariseConsultations(['2024-05-14T17:30:00Z', '2024-05-15T06:00:00Z'], OFFICE);
    assert.equal(paris.zoneLabel, 'heure de Paris');
    assert.equal(paris.directionWindow, 0, 'in Paris: 19:30 and 08:00');
    assert.match(paris.sentence, /aucune n’a eu lieu à un horaire « hors normes » au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de Paris\)\.$/);
  });

  it('a local holiday is Vigie’s addition in the summary too', () => {
    const summary = summariseConsultations(['2024-12-20T06:00:00Z'], OFFICE, REUNION);
    assert.deepEqual([summary.publicHoliday, summary.holidayOnly, summary.directionWindow], [1, 1, 0]);
    assert.match(summary.sentence, /^La consultation relevée n’a pas eu lieu à un horaire « hors normes » au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de La Réunion\)\. Elle a eu lieu un jour férié/);
    assert.equal(summariseConsultations(['2024-12-20T06:00:00Z'], OFFICE).publicHoliday, 0);
  });

  it('out-of-hours work is counted on the agent’s clock and holidays', () => {
    const consultations = [
      { at: '2024-05-14T17:30:00Z', explanation: 'workload' }, // 21:30 Réunion, 19:30 Paris
      { at: '2024-12-20T06:00:00Z', explanation: 'workload' }, // abolition day in La Réunion
      { at: '2024-05-14T20:10:00Z', explanation: 'own_file' }, // personal: never counted
    ];
    assert.deepEqual(outOfHoursWork(consultations, OFFICE, REUNION), { count: 2, night: 1, weekend: 0, holiday: 1 });
    assert.deepEqual(outOfHoursWork(consultations, OFFICE), { count: 0, night: 0, weekend: 0, holiday: 0 });
  });
});
