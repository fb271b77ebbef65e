import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_IMPORT_ROWS, readCasesFile } from '../../src/case-import/case-import-file';
import { guardFormula, toCsv, unguardFormula } from '../../src/cases/cases-csv';

/**
 * Reading a file of cases in the export's format: what comes back from the export, from Excel
 * (BOM or not, Windows-1252, dates retyped), and what is not such a file at all.
 */

const HEADER =
  'N° dossier;Agent;Région;Site;Métier;Campagne;État;Engagement;Raisons;Convocation;Entretien;Compte rendu;Ton de l’entretien;Prochaine échéance;Échéance;Situations;Consultations;Dont hors normes;Représentant·es';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** Text as Excel's « CSV (séparateur : point-virgule) » saves it: Windows-1252, where ’ is 0x92. */
function windows1252(text: string): Buffer {
  const extra: Record<string, number> = { '’': 0x92, '€': 0x80, '…': 0x85, 'œ': 0x9c };
  return Buffer.from([...text].map((ch) => extra[ch] ?? (ch.charCodeAt(0) < 256 ? ch.charCodeAt(0) : 0x3f)));
}

function ok(result: ReturnType<typeof readCasesFile>) {
  assert.ok(result.ok, `refused: ${result.ok ? '' : result.error}`);
  return result;
}

function refused(result: ReturnType<typeof readCasesFile>): string {
  assert.equal(result.ok, false, 'the file is refused');
  return result.ok ? '' : result.error;
}

describe('readCasesFile', () => {
  it('reads back what the export writes, cell for cell, the formula guard taken off', () => {
    const names = ['=HYPERLINK("x")', '+cmd', '-1', '@SUM(1)', 'Dupont; Jean', 'Jean "Jojo" Martin', "'Apostrophe d’origine", 'Ligne\nbrisée'];
    const csv = toCsv(
      names.map((agentName, i) => ({
        id: i + 1,
        agentName,
        civility: 'madame',
        regionCode: 'HDF',
        site: '=1+1',
        job: '',
        campaignName: 'Vague 2',
        status: 'open' as const,
        commitmentStatus: 'respected' as const,
        commitmentReasons: '[]',
        convocationDate: '2024-09-10',
        interviewDate: null,
        reportOutcome: null,
        interviewTone: null,
        hierarchyInformed: 'yes',
        hierarchyInformedDate: '2024-03-01',
        nextDeadlineDate: null,
        nextDeadlineLabel: null,
        consultationsCount: 0,
        oddHoursCount: 0,
        situations: ['odd_hours', 'political_figure'],
        reps: ['Rémi Nord', 'Bruno Binôme'],
      })),
      new Map([['HDF', 'Hauts-de-France']]),
    );
    const result = ok(readCasesFile(utf8(csv)));
    assert.equal(result.rows.length, names.length);
    assert.deepEqual(
      result.rows.map((r) => r.cells.agent),
      names,
      'every name as typed, apostrophes the export added removed, others kept',
    );
    assert.equal(result.rows[0]!.cells.site, '=1+1');
    assert.equal(result.rows[0]!.cells.region, 'Hauts-de-France');
    assert.equal(result.rows[0]!.cells.situations, 'Consultations répétées à des horaires hors normes | Dossier d’une personnalité politique');
    assert.equal(result.rows[0]!.cells.reps, 'Rémi Nord, Bruno Binôme');
    assert.equal(result.rows[0]!.cells.civility, 'Madame');
    assert.equal(result.rows[0]!.cells.hierarchyInformed, 'Oui');
    assert.equal(result.rows[0]!.cells.hierarchyInformedDate, '2024-03-01');
    assert.deepEqual(result.rows.map((r) => r.line), [2, 3, 4, 5, 6, 7, 8, 9], 'rows numbered as a spreadsheet shows them');
    assert.ok(result.columns.includes('id') && result.columns.includes('reps'));
  });

  it('undoes exactly the guard: one apostrophe, only before a formula character', () => {
    for (const value of ['=1', '+1', '-1', '@a', '\tx', 'plain', "'quoted", "''=double", '']) {
      assert.equal(unguardFormula(guardFormula(value)), value);
    }
    assert.equal(unguardFormula("'abc"), "'abc");
  });

  it('takes a file without the BOM, with LF rows, and one saved by Excel in Windows-1252', () => {
    const text = `${HEADER}\n;Zoé Lefèvre;Hauts-de-France;;;Vague 2;;;;;;;;;;Consultations répétées à des horaires hors normes;;;\n`;
    const plain = ok(readCasesFile(utf8(text)));
    assert.equal(plain.rows[0]!.cells.agent, 'Zoé Lefèvre');
    const latin = ok(readCasesFile(windows1252(text)));
    assert.equal(latin.rows[0]!.cells.agent, 'Zoé Lefèvre', 'Windows-1252 accents read right');
    assert.ok(latin.columns.includes('tone') && latin.columns.includes('reps'), 'headers with ’ and · read right');
    const withBom = ok(readCasesFile(utf8(`\uFEFF${text}`)));
    assert.equal(withBom.rows[0]!.cells.id, '');
  });

  it('accepts a file with only some columns, the required ones present, and skips blank rows', () => {
    const result = ok(readCasesFile(utf8('Agent;N° dossier;Région;Campagne;Situations\r\nA;;HDF;V;x\r\n;;;;\r\n\r\nB;;HDF;V;x\r\n')));
    assert.deepEqual(result.columns, ['agent', 'id', 'region', 'campaign', 'situations']);
    assert.deepEqual(result.rows.map((r) => [r.line, r.cells.agent]), [[2, 'A'], [5, 'B']]);
  });

  it('flags a row with more cells than columns, in French, without refusing the file', () => {
    const result = ok(readCasesFile(utf8(`${HEADER}\r\n${Array.from({ length: 20 }, () => 'x').join(';')}\r\n${Array.from({ length: 19 }, () => 'x').join(';')}\r\n`)));
    assert.equal(result.rows[1]!.problem, undefined);
    assert.match(result.rows[0]!.problem ?? '', /La ligne compte 20 cellules pour 19 colonnes : un point-virgule de trop/);
  });

  it('refuses what is not a CSV file, saying what to do, in French', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
    assert.match(refused(readCasesFile(png)), /n’est pas un fichier CSV/);
    assert.match(refused(readCasesFile(Buffer.alloc(0))), /Le fichier est vide/);
    assert.match(refused(readCasesFile(utf8('Bonjour\nCordialement'))), /La première ligne doit reprendre les colonnes de l’export de Vigie/);
    assert.match(refused(readCasesFile(utf8('N° dossier,Agent,Région\n1,a,b'))), /séparées par des points-virgules/);
    assert.match(refused(readCasesFile(utf8(`${HEADER};Couleur\r\n`))), /colonne inconnue : « Couleur »/);
    assert.match(refused(readCasesFile(utf8('N° dossier;Agent;Région\r\n;a;b\r\n'))), /colonnes manquantes : « Campagne », « Situations »/);
    assert.match(refused(readCasesFile(utf8('N° dossier;Agent;Agent;Région;Campagne;Situations\r\n'))), /La colonne « Agent » figure deux fois/);
    assert.match(refused(readCasesFile(utf8(`${HEADER}\r\n`))), /aucun dossier/);
    assert.match(refused(readCasesFile(utf8(`${HEADER}\r\n;"Jean;Hauts-de-France\r\n`))), /Le fichier est illisible.*guillemet/);
  });

  it('refuses more rows than the import takes', () => {
    const row = ';a;Hauts-de-France;;;V;;;;;;;;;;x;;;';
    const text = [HEADER, ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => row)].join('\r\n');
    assert.match(refused(readCasesFile(utf8(text))), /plus de 20\s000 dossiers/);
  });
});
