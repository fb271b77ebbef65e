'use strict';
/**
 * autocannon's setupRequest for the mixed load (test/bench/load.ts), loaded by the worker thread
 * that fires the requests, hence plain CommonJS. Each request takes a signed-in session at random,
 * and every tenth request in turn is: two writes (a timeline event, a consultation), both real
 * forms posted with the session's CSRF token, and eight reads (the filtered case list three times,
 * a case page three times, the dashboard twice): 20 % writes, 80 % reads.
 *
 * The plan (sessions, tokens, case ids) is a JSON file named by VIGIE_LOAD_PLAN, read once.
 */
const { readFileSync } = require('node:fs');

const plan = JSON.parse(readFileSync(process.env.VIGIE_LOAD_PLAN, 'utf8'));
const LISTS = ['/dossiers?engagement=at_risk&region=HDF', '/dossiers?tri=echeance', '/dossiers?situation=odd_hours&region=IDF&page=2'];
const EVENTS = ['observations_sent', 'report_received', 'rep_assigned'];
let n = 0;

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const two = (v) => String(v).padStart(2, '0');

module.exports = function setupRequest(req) {
  n += 1;
  const session = pick(plan.sessions);
  const headers = { cookie: session.cookie, accept: 'text/html' };
  const slot = n % 10;
  if (slot === 0 || slot === 5) {
    const caseId = pick(plan.caseIds);
    // Every write differs from the others (its note, its instant to the second): a case refuses the
    // same event or the same consultation twice (409 and 400), which would count as failures here.
    const k = Math.floor(n / 10);
    const instant = `${two(1 + (k % 28))}/05/2024 ${two(Math.floor(k / 28) % 24)}:${two(Math.floor(k / 672) % 60)}:${two(Math.floor(k / 40_320) % 60)}`;
    const body =
      slot === 0
        ? new URLSearchParams({ _csrf: session.csrf, type: pick(EVENTS), date: `2024-10-${two(1 + (n % 28))}`, note: `Charge de test ${n}` })
        : new URLSearchParams({ _csrf: session.csrf, at: instant, action: 'consulted', explanation: 'answering_user' });
    return {
      ...req,
      method: 'POST',
      path: slot === 0 ? `/dossiers/${caseId}/evenements` : `/dossiers/${caseId}/consultations`,
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    };
  }
  const path = slot === 3 || slot === 8 ? '/' : slot % 3 === 1 ? pick(LISTS) : `/dossiers/${pick(plan.caseIds)}`;
  return { ...req, method: 'GET', path, headers, body: undefined };
};
