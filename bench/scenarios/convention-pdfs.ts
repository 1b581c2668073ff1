/** Convention PDFs rendered by the service beside bare pdfkit on the same text. */
import PDFDocument from 'pdfkit';
import {
  conventionFonts,
  conventionText,
  renderConventionPdf,
  type ConventionView,
} from '../../src/modules/conventions/convention-pdf.js';
import { quick, ms, round } from '../support.js';
import type { BenchContext } from './context.js';

export async function conventionPdfs(ctx: BenchContext): Promise<void> {
  const { figures } = ctx;
  console.error('[bench] convention PDFs');
  const view: ConventionView = {
    contractName: 'Contrat de ville de Montélimar Agglomération',
    year: '2027',
    number: 'CONV-2027-EMP-0001',
    reference: '2027-EMP-0001',
    title: 'Chantier éducatif des jardins familiaux',
    summary: 'Un chantier encadré.',
    theme: 'Emploi',
    stake: 'Insertion professionnelle',
    qpvs: 'Nocaze (QN02603M)',
    startDate: '15 janvier 2027',
    endDate: '15 décembre 2027',
    totalCost: '31 000,00 €',
    grantedTotal: '20 000,00 €',
    advancePercent: '50',
    reportDeadline: '30 juin 2028',
    place: 'Montélimar',
    issuedOn: '25 mars 2027',
    issuedOnIso: '2027-03-25',
    holder: {
      name: 'Régie de quartier',
      legalForm: 'Association loi 1901',
      identifiers: 'SIRET 41234567000019',
      address: 'Montélimar',
      representative: 'représentée par Julien Martin, président',
    },
    financers: [
      {
        name: 'État',
        signatory: 'le préfet de la Drôme',
        amount: '12 000,00 €',
        advance: '6 000,00 €',
        balance: '6 000,00 €',
      },
      {
        name: 'Ville de Montélimar',
        signatory: 'le maire de Montélimar',
        amount: '8 000,00 €',
        advance: '4 000,00 €',
        balance: '4 000,00 €',
      },
    ],
    outsideFunding: [],
    inKind: '',
    republicanCommitment: true,
    copilDate: '24 mars 2027',
    deliberations: ['État : arrêté préfectoral n° 26-2027-03-20-001'],
    indicators: ['Jeunes accompagnés : 12 personnes'],
    budget: {
      charges: [{ label: '64 – Encadrant technique', amount: '20 000,00 €' }],
      products: [
        { label: '74 – État', amount: '12 000,00 €' },
        { label: '75 – Fonds propres', amount: '8 000,00 €' },
      ],
    },
  };
  const pdfs = quick ? 40 : 200;
  await renderConventionPdf(view);
  let start = process.hrtime.bigint();
  for (let index = 0; index < pdfs; index += 1) await renderConventionPdf(view);
  const ours = pdfs / (ms(start) / 1000);
  // Like for like: the same text and the same two faces (read once), headings in bold, drawn line after line
  // by pdfkit alone; what ours adds is the template, the layout (bullets, signature blocks) and the metadata.
  const text = conventionText(view).split('\n');
  const faces = conventionFonts();
  start = process.hrtime.bigint();
  for (let index = 0; index < pdfs; index += 1) {
    await new Promise<void>((resolve) => {
      const document = new PDFDocument({ size: 'A4' });
      document.on('data', () => undefined);
      document.on('end', () => resolve());
      document.registerFont('body', faces.body);
      document.registerFont('bold', faces.bold);
      for (const line of text) {
        document.font(line.startsWith('#') ? 'bold' : 'body').fontSize(line.startsWith('#') ? 12 : 10);
        document.text(line.replace(/^[#-]+ /, ''));
      }
      document.end();
    });
  }
  const barePdf = pdfs / (ms(start) / 1000);
  figures.conventions = {
    pdfsPerSecond: round(ours),
    barePdfkitPerSecond: round(barePdf),
    ratio: round(ours / barePdf, 2),
  };
}
