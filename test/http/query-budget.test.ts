import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { oddHoursCaseForm } from '../fixtures/case-form';
import { type Signed, type TestContext, createTestContext } from '../helpers/context';
import { post } from '../helpers/forms';
import { type Recorded, describeStatements, statementsDuring } from '../helpers/query-counter';

/**
 * How many SQL statements each busy page runs, counted at the driver (test/helpers/query-counter.ts):
 * a page that reads the same rows twice, or one row at a time, fails here before it shows in the
 * bench. Every statement counts, writes too (the audit log's « consultation » row, a transaction's
 * begin and commit), except the session and account reads every signed-in request makes whatever
 * the page: those are the bare signed-in page's own cost, measured here on a page of no data (a
 * signed-in 404) and taken out statement by statement, by their SQL text. Their number is checked
 * apart, so that they cannot grow unnoticed either.
 */

const CASE_PAGE_BUDGET = 8;
const LIST_BUDGET = 4;
/**
 * The home page reads its figures from the dashboard's read model once it is computed: no statement
 * on case data. What it still reads is its own: the campaign list (two statements, src/campaigns)
 * and the count of support requests waiting too long (one, src/requests).
 */
const DASHBOARD_CASE_BUDGET = 0;
const DASHBOARD_BUDGET = 3;
const SESSION_AND_ACCOUNT_BUDGET = 3;

let ctx: TestContext;
let rep: Signed;
let caseId: number;
let baseline: Recorded[];

before(async () => {
  ctx = await createTestContext({ RATE_LIMIT_PER_MINUTE: '100000' });
  rep = await ctx.signedIn({ role: 'rep', regions: ['HDF'] });
  const other = await ctx.signedIn({ role: 'rep', regions: ['HDF'] });
  for (const name of ['Amandine Budget', 'Bertrand Budget', 'Chloé Budget']) {
    const res = await post(rep, '/dossiers', { ...oddHoursCaseForm(name), confirmNewAgent: 'on', repIds: [String(rep.user.id), String(other.user.id)] });
    assert.equal(res.status, 303);
    caseId = Number(/(\d+)$/.exec(String(res.headers.location))?.[1]);
  }
  await post(rep, `/dossiers/${caseId}/evenements`, { type: 'interview_held', date: '2024-09-16', note: '' });
  // Every page once, so that what is computed once a day (assessments) or once per change (read models) is.
  for (const url of ['/', '/dossiers', `/dossiers/${caseId}`, '/nulle-part']) await rep.agent.get(url);
  baseline = await statementsDuring(() => rep.agent.get('/nulle-part').expect(404));
});
after(async () => {
  await ctx.close();
});

/** The statements a page ran beyond the session and account reads of the baseline, each of those taken out once. */
function beyondBaseline(statements: readonly Recorded[]): Recorded[] {
  const left = [...baseline];
  return statements.filter((s) => {
    const i = left.findIndex((b) => b.sql === s.sql);
    if (i === -1) return true;
    left.splice(i, 1);
    return false;
  });
}

async function pageStatements(url: string, status = 200): Promise<Recorded[]> {
  return beyondBaseline(await statementsDuring(() => rep.agent.get(url).expect(status)));
}

function assertWithin(statements: readonly Recorded[], budget: number, page: string): void {
  // Printed with the results (node --test shows diagnostics), so that a run tells how far from the budget each page is.
  console.log(`${page}: ${statements.length} statement(s), budget ${budget}`);
  assert.ok(statements.length <= budget, `${page}: ${statements.length} statements, budget ${budget}:\n${describeStatements(statements)}`);
}

describe('SQL statements per page', () => {
  it('the session and account reads of a signed-in page stay few', () => {
    assertWithin(baseline, SESSION_AND_ACCOUNT_BUDGET, 'signed-in 404');
  });

  it('the case page', async () => {
    assertWithin(await pageStatements(`/dossiers/${caseId}`), CASE_PAGE_BUDGET, 'GET /dossiers/:id');
  });

  it('an unknown case answers 404 within the same budget', async () => {
    assertWithin(await pageStatements('/dossiers/999999', 404), CASE_PAGE_BUDGET, 'GET /dossiers/999999');
  });

  it('the case list, without and with filters', async () => {
    for (const url of ['/dossiers', '/dossiers?engagement=breached&tri=nom', '/dossiers?q=budget&situation=odd_hours&etat=ouverts', `/dossiers?rep=${rep.user.id}&page=2`]) {
      // The first visit of a set of filters computes its counts; the next ones read them from the read model.
      await rep.agent.get(url).expect(200);
      assertWithin(await pageStatements(url), LIST_BUDGET, `GET ${url}`);
    }
  });

  it('the dashboard, once computed, from its read model', async () => {
    await rep.agent.get('/').expect(200);
    const statements = await pageStatements('/');
    assertWithin(
      statements.filter((s) => /"cases"|"case_|"agents"|"consultations"/.test(s.sql)),
      DASHBOARD_CASE_BUDGET,
      'GET / (case data)',
    );
    assertWithin(statements, DASHBOARD_BUDGET, 'GET /');
  });
});
