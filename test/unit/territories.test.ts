import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import {
  ALSACE_MOSELLE_DEPARTMENTS,
  DEPARTMENTS,
  departmentLabel,
  departmentOf,
  departmentsOf,
  type HolidayCalendar,
  impliedDepartment,
  PARIS_TERRITORY,
  TERRITORY_ZONES,
  territoryOf,
} from '../../src/domain/territories';

/** The region codes as the first migration created them (it never imports from src/, nor do we from it). */
const REGIONS: string[] = (() => {
  const source = readFileSync(new URL('../../migrations/2026-11-23-1100-foundation.ts', import.meta.url), 'utf8');
  const block = /const REGIONS[^=]*=\s*\[([\s\S]*?)\n\];/.exec(source)?.[1] ?? '';
  return [...block.matchAll(/\['([A-Z]{3})',/g)].map((m) => m[1]!);
})();

/** Metropolitan regions and Corsica: Paris time, the national calendar, no département implied. */
const METROPOLE = ['ARA', 'BFC', 'BRE', 'CVL', 'COR', 'GES', 'HDF', 'IDF', 'NOR', 'NAQ', 'OCC', 'PDL', 'PAC'];
const PARIS = { zone: 'Europe/Paris', zoneLabel: 'heure de Paris', calendar: 'national' as HolidayCalendar, department: null };

const EXPECTED: Record<string, { zone: string; zoneLabel: string; calendar: HolidayCalendar; department: string | null }> = {
  ...Object.fromEntries(METROPOLE.map((code) => [code, PARIS])),
  GUA: { zone: 'America/Guadeloupe', zoneLabel: 'heure de la Guadeloupe', calendar: 'guadeloupe', department: '971' },
  MTQ: { zone: 'America/Martinique', zoneLabel: 'heure de la Martinique', calendar: 'martinique', department: '972' },
  GUY: { zone: 'America/Cayenne', zoneLabel: 'heure de la Guyane', calendar: 'guyane', department: '973' },
  REU: { zone: 'Indian/Reunion', zoneLabel: 'heure de La Réunion', calendar: 'reunion', department: '974' },
  MAY: { zone: 'Indian/Mayotte', zoneLabel: 'heure de Mayotte', calendar: 'mayotte', department: '976' },
};

describe('regions: a zone, its label and a holiday calendar', () => {
  it('the migration has the 18 regions this table expects', () => {
    assert.equal(REGIONS.length, 18);
    assert.deepEqual([...REGIONS].sort(), Object.keys(EXPECTED).sort());
  });

  for (const region of Object.keys(EXPECTED)) {
    const expected = EXPECTED[region]!;
    it(`${region}: ${expected.zone}, « ${expected.zoneLabel} », ${expected.calendar}`, () => {
      assert.deepEqual(territoryOf(region), { zone: expected.zone, zoneLabel: expected.zoneLabel, calendar: expected.calendar });
      assert.ok(DateTime.now().setZone(expected.zone).isValid, 'a zone the runtime knows');
      assert.match(expected.zoneLabel, /^heure de /);
      assert.equal(impliedDepartment(region), expected.department);
    });
  }

  it('every zone of a territory, once each', () => {
    assert.deepEqual([...TERRITORY_ZONES].sort(), [...new Set(Object.values(EXPECTED).map((e) => e.zone))].sort());
    assert.equal(new Set(TERRITORY_ZONES).size, TERRITORY_ZONES.length);
  });

  it('Paris is mainland France outside Alsace-Moselle', () => {
    assert.deepEqual(PARIS_TERRITORY, { zone: 'Europe/Paris', zoneLabel: 'heure de Paris', calendar: 'national' });
    assert.deepEqual(territoryOf('IDF', '75'), PARIS_TERRITORY);
  });

  it('gives a copy: changing one territory changes no other', () => {
    const mine = territoryOf('REU');
    mine.zoneLabel = 'changé';
    assert.equal(territoryOf('REU').zoneLabel, 'heure de La Réunion');
    const paris = territoryOf('IDF');
    paris.calendar = 'alsace_moselle';
    assert.equal(PARIS_TERRITORY.calendar, 'national');
    assert.equal(territoryOf('IDF').calendar, 'national');
  });
});

describe('départements', () => {
  it('101 départements with unique codes and names, each in an existing region', () => {
    assert.equal(DEPARTMENTS.length, 101);
    assert.equal(new Set(DEPARTMENTS.map((d) => d.code)).size, 101);
    assert.equal(new Set(DEPARTMENTS.map((d) => d.name)).size, 101);
    for (const d of DEPARTMENTS) assert.ok(REGIONS.includes(d.region), `${d.code} ${d.region}`);
    for (const region of REGIONS) assert.ok(departmentsOf(region).length > 0, region);
  });

  it('mainland: 01 to 95 with Corsica as 2A and 2B; overseas: 971 to 974 and 976', () => {
    const mainland = Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, '0')).flatMap((c) => (c === '20' ? ['2A', '2B'] : [c]));
    assert.deepEqual(DEPARTMENTS.map((d) => d.code).sort(), [...mainland, '971', '972', '973', '974', '976'].sort());
    assert.deepEqual(departmentsOf('COR').map((d) => d.code), ['2A', '2B']);
  });

  it('labels and looks up a département', () => {
    assert.equal(departmentLabel('57'), '57 – Moselle');
    assert.equal(departmentLabel('2A'), '2A – Corse-du-Sud');
    assert.equal(departmentLabel('974'), '974 – La Réunion');
    assert.equal(departmentLabel('99'), '');
    assert.equal(departmentLabel(null), '');
    assert.equal(departmentOf('67')?.region, 'GES');
    assert.equal(departmentOf(undefined), undefined);
    assert.equal(departmentOf('975'), undefined);
  });

  it('each department has its own region’s zone', () => {
    for (const d of DEPARTMENTS) assert.equal(territoryOf(d.region, d.code).zone, EXPECTED[d.region]!.zone, d.code);
  });
});

describe('Alsace-Moselle by département', () => {
  // [region, département, calendar]
  const table: Array<[string, string | null | undefined, HolidayCalendar]> = [
    ['GES', '57', 'alsace_moselle'],
    ['GES', '67', 'alsace_moselle'],
    ['GES', '68', 'alsace_moselle'],
    ['GES', '54', 'national'],
    ['GES', '88', 'national'],
    ['GES', null, 'national'],
    ['GES', undefined, 'national'],
    ['GES', '', 'national'],
    ['GES', '99', 'national'],
    ['IDF', '75', 'national'],
    ['REU', '974', 'reunion'],
    ['REU', null, 'reunion'],
    ['MTQ', '57', 'martinique'],
  ];
  for (const [region, department, calendar] of table) {
    it(`${region} ${String(department)} → ${calendar}`, () => assert.equal(territoryOf(region, department).calendar, calendar));
  }

  it('the three départements are Moselle, Bas-Rhin and Haut-Rhin, all in Grand Est', () => {
    assert.deepEqual(ALSACE_MOSELLE_DEPARTMENTS.map(departmentLabel), ['57 – Moselle', '67 – Bas-Rhin', '68 – Haut-Rhin']);
    for (const code of ALSACE_MOSELLE_DEPARTMENTS) assert.equal(departmentOf(code)?.region, 'GES');
    assert.equal(territoryOf('GES', '57').zone, 'Europe/Paris');
    assert.equal(territoryOf('GES', '57').zoneLabel, 'heure de Paris');
  });
});
