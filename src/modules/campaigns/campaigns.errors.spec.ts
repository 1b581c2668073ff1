import { CAMPAIGN_ERROR_CODES } from './campaigns.errors.js';
import { ApplicationError, conflict, unprocessableAll } from '../../common/application-error.js';

describe('coded errors', () => {
  it('takes a code a module registered, and refuses one nobody did at compile time', () => {
    expect(conflict('CAMPAIGN_STATUS_CONFLICT', 'Appel à projets clos.').status).toBe(409);
    // @ts-expect-error: no module registers this code (the type check of this file fails if one does)
    expect(conflict('NOT_A_REGISTERED_CODE', 'x').code).toBe('NOT_A_REGISTERED_CODE');
    expect(CAMPAIGN_ERROR_CODES).toContain('CAMPAIGN_STATUS_CONFLICT');
  });

  it('reports every problem under the first one’s code', () => {
    const error = unprocessableAll([
      { field: 'a', code: 'UNKNOWN_THEME', message: 'Thématique inconnue.' },
      { field: 'b', code: 'CALENDAR_OUT_OF_ORDER', message: 'Dates dans le désordre.' },
    ]);
    expect(error).toBeInstanceOf(ApplicationError);
    expect([error.status, error.code, error.details.map((detail) => detail.field)]).toEqual([
      422,
      'UNKNOWN_THEME',
      ['a', 'b'],
    ]);
  });
});
