import { renderEmail } from '../notifications/templates.js';
import { attestedCommitments } from './sworn-statement.js';

describe('the acknowledgement of receipt', () => {
  it('prints who signed and every commitment of the sworn statement, in the text and the HTML', () => {
    const email = renderEmail('APPLICATION_SUBMITTED', {
      reference: '2027-EMP-0001',
      title: 'Chantier éducatif',
      holderName: 'Régie de quartier',
      campaignTitle: 'Appel à projets 2027',
      submittedAt: '15 janvier 2027 à 10 h 30',
      signatoryName: 'Camille Durand',
      signatoryRole: 'Présidente',
      commitments: attestedCommitments(true),
    });
    expect(email.text).toContain('Camille Durand (Présidente) a attesté sur l’honneur que :');
    for (const commitment of attestedCommitments(true)) {
      expect(email.text).toContain(`- ${commitment} ;`);
      expect(email.html).toContain(`<li>${commitment} ;</li>`);
    }
    expect(email.text).toContain('à jour de ses obligations sociales et fiscales');
    expect(email.text).toContain('contrat d’engagement républicain');
  });

  it('leaves the contrat d’engagement républicain out when it was not asked', () => {
    const text = attestedCommitments(false).join('\n');
    expect(text).not.toContain('engagement républicain');
  });
});
