import PDFDocument from 'pdfkit';
import { readFileSync } from 'node:fs';
import { renderText } from '../../common/templating.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Pre-formatted values of a convention: the template holds no arithmetic. */
export interface ConventionView {
  contractName: string;
  year: string;
  number: string;
  reference: string;
  title: string;
  summary: string;
  theme: string;
  stake: string;
  qpvs: string;
  startDate: string;
  endDate: string;
  totalCost: string;
  grantedTotal: string;
  advancePercent: string;
  reportDeadline: string;
  place: string;
  issuedOn: string;
  /** ISO date that stands for the document's creation: the same inputs give the same bytes. */
  issuedOnIso: string;
  holder: { name: string; legalForm: string; identifiers: string; address: string; representative: string };
  /** Each granting financer, with who signs for it and in what capacity (empty when the referential is silent). */
  financers: { name: string; signatory: string; amount: string; advance: string; balance: string }[];
  /** Funders outside the contract the budget counts on (FSE, foundations): named, not bound by the convention. */
  outsideFunding: { funder: string; amount: string }[];
  /** The contributions in kind, left out of the cost; empty when there are none. */
  inKind: string;
  /** The holder is an association or a foundation, bound by the contrat d'engagement républicain. */
  republicanCommitment: boolean;
  /** The COPIL's date, whose decision the convention carries out. */
  copilDate: string;
  /** Each granting financer's deliberation, « name : reference ». */
  deliberations: string[];
  /** The indicators the action commits to, « label : target unit ». */
  indicators: string[];
  /** The action's budget as the application gave it (annex). */
  budget: { charges: { label: string; amount: string }[]; products: { label: string; amount: string }[] };
}

// DejaVu, installed by npm, covers French (accents, œ, narrow no-break spaces of French amounts).
const fontFolder = join(
  dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
);
const FONT = join(fontFolder, 'DejaVuSans.ttf');
const FONT_BOLD = join(fontFolder, 'DejaVuSans-Bold.ttf');

/** The convention's text (Markdown-like lines) from its template (`templates/convention/convention.njk`), NFC. */
export function conventionText(view: ConventionView): string {
  return renderText('convention/convention.njk', view).normalize('NFC');
}

/** The font files, read once per process (pdfkit accepts their bytes). */
let fonts: { body: Buffer; bold: Buffer } | undefined;
export function conventionFonts(): { body: Buffer; bold: Buffer } {
  fonts ??= { body: readFileSync(FONT), bold: readFileSync(FONT_BOLD) };
  return fonts;
}

/** Renders the convention: headings (#, ##), bullets (-), paragraphs, then the signature blocks. */
export function renderConventionPdf(view: ConventionView): Promise<Buffer> {
  const text = conventionText(view);
  const document = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 62, right: 62 },
    info: {
      Title: `Convention ${view.number}`,
      Author: view.contractName,
      Subject: view.title,
      CreationDate: new Date(`${view.issuedOnIso}T00:00:00Z`),
      ModDate: new Date(`${view.issuedOnIso}T00:00:00Z`),
    },
  });
  document.registerFont('body', conventionFonts().body);
  document.registerFont('bold', conventionFonts().bold);
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
  });

  // The annex (the action's budget) follows the signatures, on a page of its own.
  const [body, annex] = text.split(/\n(?=## Annexe)/);
  const write = (block: string) => {
    for (const line of block.split('\n')) {
      if (line.startsWith('# ')) {
        document.font('bold').fontSize(17).text(line.slice(2), { align: 'center' }).moveDown(0.3);
      } else if (line.startsWith('## ')) {
        document.moveDown(0.6).font('bold').fontSize(11.5).text(line.slice(3)).moveDown(0.2);
      } else if (line.startsWith('- ')) {
        // Hanging indent: the bullet in its own column, wrapped lines aligned with the text.
        const left = document.page.margins.left;
        const width = document.page.width - left - document.page.margins.right;
        // A bullet near the page's foot goes to the next page with its text (never a bullet alone).
        const needed = document
          .font('body')
          .fontSize(10)
          .heightOfString(line.slice(2), { width: width - 18 });
        if (document.y + Math.min(needed, 40) > document.page.height - document.page.margins.bottom)
          document.addPage();
        const top = document.y;
        document
          .font('body')
          .fontSize(10)
          .text('•', left + 6, top, { lineBreak: false });
        document.text(line.slice(2), left + 18, top, { width: width - 18, align: 'left' });
        document.x = left;
      } else if (line.trim() === '') {
        document.moveDown(0.3);
      } else {
        // Left-aligned: justified text is drawn word by word, which breaks copy, search and screen readers.
        document.font('body').fontSize(10).text(line, { align: 'left' });
      }
    }
  };
  write(body);

  // Keep the heading with at least the first signature block.
  if (document.y > document.page.height - 200) document.addPage();
  else document.moveDown(1.5);
  document.font('bold').fontSize(11).text('Signatures');
  const parties = [
    ...view.financers.map((financer) =>
      financer.signatory ? `${financer.name}, ${financer.signatory}` : financer.name,
    ),
    `${view.holder.name}, ${view.holder.representative}`,
  ];
  for (const party of parties) {
    if (document.y > document.page.height - 140) document.addPage();
    document.moveDown(0.8).font('body').fontSize(10).text(`Pour ${party}`);
    document.fontSize(9).fillColor('#555555').text('Nom, qualité, date et signature :').fillColor('#000000');
    const top = document.y + 4;
    document.rect(document.page.margins.left, top, 220, 56).stroke();
    document.y = top + 60;
  }
  if (annex) {
    document.addPage();
    write(annex);
  }
  document.end();
  return done;
}
