import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext, csrfFrom } from '../helpers/context';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

const BASE = { regionCode: 'HDF', employmentStatus: 'private', campaignId: '2', situations: 'odd_hours' };

describe('the same person, recognised by contact as well as by name', () => {
  it('offers the existing agent when the e-mail or the phone matches, even under another spelling of the name', async () => {
    const { agent } = await ctx.signedIn({ role: 'rep', regions: ['HDF'] });
    const post = async (fields: Record<string, string>) =>
      agent.post('/dossiers').type('form').send({ _csrf: await csrfFrom(agent, '/dossiers/nouveau'), ...BASE, ...fields });
    const first = await post({ fullName: 'Nadia Haddad', personalEmail: 'nadia.h@exemple.fr', phone: '06 11 22 33 44', campaignId: '1', situations: 'agent_ex_job_seeker' });
    assert.equal(first.status, 303);

    const byEmail = await post({ fullName: 'N. Haddad-Martin', personalEmail: 'NADIA.H@exemple.fr' });
    assert.equal(byEmail.status, 409, 'same e-mail, other spelling');
    assert.match(byEmail.text, /Oui : Nadia Haddad/);

    const byPhone = await post({ fullName: 'Nadia H.', phone: '06.11.22.33.44' });
    assert.equal(byPhone.status, 409, 'same phone, written differently');

    const stranger = await post({ fullName: 'Paul Lefèvre', personalEmail: 'paul@exemple.fr', phone: '07 00 00 00 00' });
    assert.equal(stranger.status, 303, 'nobody in common: created at once');
  });
});
