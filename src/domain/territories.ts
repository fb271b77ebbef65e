/**
 * Where an agent works decides two time facts: the clock their consultations are read in (the
 * region's IANA zone) and the public holidays they have (national, Alsace-Moselle by département,
 * or an overseas department's own abolition-of-slavery day). Regions are Vigie's region codes.
 */
export type HolidayCalendar = 'national' | 'alsace_moselle' | 'guadeloupe' | 'martinique' | 'guyane' | 'reunion' | 'mayotte';

export interface Territory {
  /** IANA time zone of the agent's desk. */
  zone: string;
  /** « heure de Paris », « heure de La Réunion »: what every form and document says of a time. */
  zoneLabel: string;
  calendar: HolidayCalendar;
}

interface RegionTime {
  zone: string;
  zoneLabel: string;
  calendar: HolidayCalendar;
}

const MAINLAND: RegionTime = { zone: 'Europe/Paris', zoneLabel: 'heure de Paris', calendar: 'national' };

const OVERSEAS: Record<string, RegionTime> = {
  GUA: { zone: 'America/Guadeloupe', zoneLabel: 'heure de la Guadeloupe', calendar: 'guadeloupe' },
  MTQ: { zone: 'America/Martinique', zoneLabel: 'heure de la Martinique', calendar: 'martinique' },
  GUY: { zone: 'America/Cayenne', zoneLabel: 'heure de la Guyane', calendar: 'guyane' },
  REU: { zone: 'Indian/Reunion', zoneLabel: 'heure de La Réunion', calendar: 'reunion' },
  MAY: { zone: 'Indian/Mayotte', zoneLabel: 'heure de Mayotte', calendar: 'mayotte' },
};

/** Moselle, Bas-Rhin, Haut-Rhin: the local law of Alsace-Moselle (Code du travail L3134-13). */
export const ALSACE_MOSELLE_DEPARTMENTS: readonly string[] = ['57', '67', '68'];

export interface Department {
  code: string;
  name: string;
  region: string;
}

const BY_REGION: Record<string, Array<[string, string]>> = {
  ARA: [['01', 'Ain'], ['03', 'Allier'], ['07', 'Ardèche'], ['15', 'Cantal'], ['26', 'Drôme'], ['38', 'Isère'], ['42', 'Loire'], ['43', 'Haute-Loire'], ['63', 'Puy-de-Dôme'], ['69', 'Rhône'], ['73', 'Savoie'], ['74', 'Haute-Savoie']],
  BFC: [['21', 'Côte-d’Or'], ['25', 'Doubs'], ['39', 'Jura'], ['58', 'Nièvre'], ['70', 'Haute-Saône'], ['71', 'Saône-et-Loire'], ['89', 'Yonne'], ['90', 'Territoire de Belfort']],
  BRE: [['22', 'Côtes-d’Armor'], ['29', 'Finistère'], ['35', 'Ille-et-Vilaine'], ['56', 'Morbihan']],
  CVL: [['18', 'Cher'], ['28', 'Eure-et-Loir'], ['36', 'Indre'], ['37', 'Indre-et-Loire'], ['41', 'Loir-et-Cher'], ['45', 'Loiret']],
  COR: [['2A', 'Corse-du-Sud'], ['2B', 'Haute-Corse']],
  GES: [['08', 'Ardennes'], ['10', 'Aube'], ['51', 'Marne'], ['52', 'Haute-Marne'], ['54', 'Meurthe-et-Moselle'], ['55', 'Meuse'], ['57', 'Moselle'], ['67', 'Bas-Rhin'], ['68', 'Haut-Rhin'], ['88', 'Vosges']],
  HDF: [['02', 'Aisne'], ['59', 'Nord'], ['60', 'Oise'], ['62', 'Pas-de-Calais'], ['80', 'Somme']],
  IDF: [['75', 'Paris'], ['77', 'Seine-et-Marne'], ['78', 'Yvelines'], ['91', 'Essonne'], ['92', 'Hauts-de-Seine'], ['93', 'Seine-Saint-Denis'], ['94', 'Val-de-Marne'], ['95', 'Val-d’Oise']],
  NOR: [['14', 'Calvados'], ['27', 'Eure'], ['50', 'Manche'], ['61', 'Orne'], ['76', 'Seine-Maritime']],
  NAQ: [['16', 'Charente'], ['17', 'Charente-Maritime'], ['19', 'Corrèze'], ['23', 'Creuse'], ['24', 'Dordogne'], ['33', 'Gironde'], ['40', 'Landes'], ['47', 'Lot-et-Garonne'], ['64', 'Pyrénées-Atlantiques'], ['79', 'Deux-Sèvres'], ['86', 'Vienne'], ['87', 'Haute-Vienne']],
  OCC: [['09', 'Ariège'], ['11', 'Aude'], ['12', 'Aveyron'], ['30', 'Gard'], ['31', 'Haute-Garonne'], ['32', 'Gers'], ['34', 'Hérault'], ['46', 'Lot'], ['48', 'Lozère'], ['65', 'Hautes-Pyrénées'], ['66', 'Pyrénées-Orientales'], ['81', 'Tarn'], ['82', 'Tarn-et-Garonne']],
  PDL: [['44', 'Loire-Atlantique'], ['49', 'Maine-et-Loire'], ['53', 'Mayenne'], ['72', 'Sarthe'], ['85', 'Vendée']],
  PAC: [['04', 'Alpes-de-Haute-Provence'], ['05', 'Hautes-Alpes'], ['06', 'Alpes-Maritimes'], ['13', 'Bouches-du-Rhône'], ['83', 'Var'], ['84', 'Vaucluse']],
  GUA: [['971', 'Guadeloupe']],
  MTQ: [['972', 'Martinique']],
  GUY: [['973', 'Guyane']],
  REU: [['974', 'La Réunion']],
  MAY: [['976', 'Mayotte']],
};

export const DEPARTMENTS: readonly Department[] = Object.entries(BY_REGION).flatMap(([region, list]) => list.map(([code, name]) => ({ code, name, region })));

export function departmentsOf(regionCode: string): Department[] {
  return DEPARTMENTS.filter((d) => d.region === regionCode);
}

export function departmentOf(code: string | null | undefined): Department | undefined {
  return code ? DEPARTMENTS.find((d) => d.code === code) : undefined;
}

/** « 57 – Moselle ». */
export function departmentLabel(code: string | null | undefined): string {
  const department = departmentOf(code);
  return department ? `${department.code} – ${department.name}` : '';
}

/**
 * The département a region implies when it has only one (the overseas regions), so that a case
 * there needs no answer to a question with one possible reply.
 */
export function impliedDepartment(regionCode: string): string | null {
  const list = departmentsOf(regionCode);
  return list.length === 1 ? list[0]!.code : null;
}

/**
 * The agent's territory. The département decides Alsace-Moselle; when it is not known, a mainland
 * agent gets the national holidays only (which is never more than their own).
 */
export function territoryOf(regionCode: string, departmentCode?: string | null): Territory {
  const overseas = OVERSEAS[regionCode];
  if (overseas) return { ...overseas };
  const alsaceMoselle = departmentCode ? ALSACE_MOSELLE_DEPARTMENTS.includes(departmentCode) : false;
  return { ...MAINLAND, calendar: alsaceMoselle ? 'alsace_moselle' : 'national' };
}

/**
 * What a form says of a zone a time was typed in: « heure de La Réunion ». A time stored without a
 * zone (typed before zones existed) was read in Paris time.
 */
export function zoneLabelOf(zone: string | null | undefined): string {
  if (!zone || zone === MAINLAND.zone) return MAINLAND.zoneLabel;
  return Object.values(OVERSEAS).find((r) => r.zone === zone)?.zoneLabel ?? `heure de ${zone}`;
}

/** Mainland France outside Alsace-Moselle: what a time meant in Vigie before territories existed. */
export const PARIS_TERRITORY: Territory = { ...MAINLAND };

/** Every zone a territory can have, for tests and property checks. */
export const TERRITORY_ZONES: readonly string[] = [MAINLAND.zone, ...Object.values(OVERSEAS).map((r) => r.zone)];
