import { sectionState } from './task-list.js';
import type { ApplicationDto, CheckResultDto } from '../modules/applications/dto/application.dto.js';

const empty = {
  title: 'Atelier',
  summary: null,
  objectives: null,
  description: null,
  stakeId: null,
  location: null,
  startDate: null,
  endDate: null,
  indicators: [],
  beneficiaries: null,
  qpvCodes: [],
  budget: null,
  attachments: [],
  priorities: null,
  holder: {
    organizationId: 'o',
    name: 'Les Amis',
    legalForm: 'Association',
    siret: null,
    rna: 'W261002345',
    address: '1 rue',
    legalRepresentative: 'Camille',
    contactEmail: 'a@b.fr',
  },
} as unknown as ApplicationDto;

const fail = (rule: string, blocking = true): CheckResultDto => ({
  rule,
  status: 'FAIL',
  blocking,
  message: rule,
});

describe('task list states', () => {
  it('is « À compléter » while nothing of the section is given', () => {
    expect(sectionState('projet', empty, [])).toBe('TODO');
    expect(sectionState('budget', empty, [])).toBe('TODO');
  });

  it('the holder section is done from the registration', () => {
    expect(sectionState('porteur', empty, [])).toBe('DONE');
  });

  it('is « En cours » when part of the section is given', () => {
    expect(sectionState('projet', { ...empty, summary: 'Un résumé' }, [])).toBe('IN_PROGRESS');
  });

  it('a blocking failure of the section holds it « En cours », a warning does not', () => {
    const withBudget = {
      ...empty,
      budget: { charges: [{ account: '604', label: 'x', amountCents: 100 }], products: [] },
    };
    expect(sectionState('budget', withBudget, [fail('BUDGET_BALANCED')])).toBe('IN_PROGRESS');
    expect(
      sectionState('budget', withBudget, [
        { ...fail('SINGLE_FINANCER_SHARE'), status: 'WARN', blocking: false },
      ]),
    ).toBe('DONE');
    // Another section's failure is not this one's.
    expect(sectionState('budget', withBudget, [fail('QPV_TARGET')])).toBe('DONE');
  });
});
