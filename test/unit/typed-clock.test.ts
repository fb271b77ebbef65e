import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { onParisClockChange, typedClockNote } from '../../src/domain/typed-clock';

const PARIS = 'Europe/Paris';
const MARTINIQUE = 'America/Martinique';
const REUNION = 'Indian/Reunion';

describe('typedClockNote: what a row says of the clock it was typed in', () => {
  // [what, instant, typed zone, agent's zone, expected]
  const table: Array<[string, string, string | null, string, ReturnType<typeof typedClockNote>]> = [
    ['typed in the agent’s clock', '2024-05-14T20:10:00Z', MARTINIQUE, MARTINIQUE, { kind: 'none' }],
    ['typed in Paris time for a Paris agent', '2024-05-14T20:10:00Z', PARIS, PARIS, { kind: 'none' }],
    ['typed in Paris time by choice for a Martinique agent: said, not doubted', '2024-05-14T20:10:00Z', PARIS, MARTINIQUE, { kind: 'info', text: 'saisie en heure de Paris' }],
    ['typed before zones, overseas agent', '2024-05-14T20:10:00Z', null, REUNION, { kind: 'check', text: 'saisie en heure de Paris : à vérifier' }],
    ['typed before zones, Paris agent, an ordinary hour', '2024-05-14T20:10:00Z', null, PARIS, { kind: 'none' }],
    [
      'typed before zones, Paris agent, the second 02:30 of 27 October 2024 (winter)',
      '2024-10-27T01:30:00Z',
      null,
      PARIS,
      { kind: 'check', text: 'saisie pendant un changement d’heure, avant que Vigie ne le demande : à vérifier' },
    ],
    [
      'typed before zones, Paris agent, the first 02:30 of 27 October 2024 (summer)',
      '2024-10-27T00:30:00Z',
      null,
      PARIS,
      { kind: 'check', text: 'saisie pendant un changement d’heure, avant que Vigie ne le demande : à vérifier' },
    ],
    [
      'typed before zones, Paris agent, 03:30 on 31 March 2024 (where « 02:30 » landed)',
      '2024-03-31T01:30:00Z',
      null,
      PARIS,
      { kind: 'check', text: 'saisie pendant un changement d’heure, avant que Vigie ne le demande : à vérifier' },
    ],
    ['typed before zones, Paris agent, 04:00 on 31 March 2024', '2024-03-31T02:00:00Z', null, PARIS, { kind: 'none' }],
    ['typed before zones, Paris agent, 03:30 on 24 March 2024 (not the last Sunday)', '2024-03-24T02:30:00Z', null, PARIS, { kind: 'none' }],
    ['typed with a fold answer, Paris agent: asked, so no doubt', '2024-10-27T01:30:00Z', PARIS, PARIS, { kind: 'none' }],
    ['typed in La Réunion time, agent now in Paris', '2024-05-14T17:15:00Z', REUNION, PARIS, { kind: 'check', text: 'saisie en heure de La Réunion : à vérifier' }],
    ['typed in La Réunion time, agent now in Martinique', '2024-05-14T17:15:00Z', REUNION, MARTINIQUE, { kind: 'check', text: 'saisie en heure de La Réunion : à vérifier' }],
  ];
  for (const [what, at, typedZone, agentZone, expected] of table) {
    it(what, () => assert.deepEqual(typedClockNote(at, typedZone, agentZone), expected));
  }

  it('onParisClockChange: the fold hour in October and 03:00–03:59 on the last Sunday of March', () => {
    assert.equal(onParisClockChange('2025-10-26T00:59:00Z'), true);
    assert.equal(onParisClockChange('2025-10-26T01:59:00Z'), true);
    assert.equal(onParisClockChange('2025-10-26T02:00:00Z'), false, '03:00 winter time');
    assert.equal(onParisClockChange('2025-10-25T23:59:00Z'), false, '01:59 summer time');
    assert.equal(onParisClockChange('2025-03-30T01:00:00Z'), true, '03:00');
    assert.equal(onParisClockChange('2025-03-30T01:59:00Z'), true, '03:59');
    assert.equal(onParisClockChange('2025-03-30T00:59:00Z'), false, '01:59');
  });
});
