/**
 * Demo data for a new user: an open campaign for the coming year with envelopes, three associations,
 * financer reviewers and applications in several states. Goes through the real services, so every
 * reference, check report and history line is what the product would have made. Idempotent.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { AuthUser } from '../../src/common/auth.js';
import { runWithRequestId } from '../../src/common/request-context.js';
import { AccountsService, ensureNationalUser } from '../../src/modules/accounts/accounts.service.js';
import { auditedTransaction } from '../../src/database/audit-actor.js';
import { MembershipService } from '../../src/modules/membership/membership.service.js';
import { OrganizationEntity } from '../../src/modules/accounts/organization.entity.js';
import { UserEntity } from '../../src/modules/accounts/user.entity.js';
import { CampaignsService } from '../../src/modules/campaigns/campaigns.service.js';
import { CampaignEntity } from '../../src/modules/campaigns/campaign.entity.js';
import { DraftsService } from '../../src/modules/applications/drafts.service.js';
import { ApplicationLifecycleService } from '../../src/modules/applications/lifecycle.service.js';
import { AttachmentsService } from '../../src/modules/attachments/attachments.service.js';
import { ReviewsService } from '../../src/modules/reviews/reviews.service.js';
import { DecisionsService } from '../../src/modules/programming/decisions.service.js';
import { ConventionsService } from '../../src/modules/conventions/conventions.service.js';
import { ConventionEntity } from '../../src/modules/conventions/convention.entity.js';
import { PaymentsService } from '../../src/modules/payments/payments.service.js';
import { ReportsService } from '../../src/modules/reports/reports.service.js';
import { ThemeEntity } from '../../src/modules/referential/theme.entity.js';
import { StakeEntity } from '../../src/modules/referential/stake.entity.js';
import { MeasureEntity } from '../../src/modules/referential/measure.entity.js';
import type { CreateApplicationDto } from '../../src/modules/applications/dto/application.dto.js';

export const DEMO_PASSWORD = 'demo-mot-de-passe-2027';
export const DEMO_NATIONAL_EMAIL = 'anct@demo.contrat-de-ville.fr';
/** A member of the city team who may sign in at once (the first one, from ADMIN_EMAIL, changes its password first). */
export const DEMO_TEAM_EMAIL = 'equipe@demo.contrat-de-ville.fr';
const DEMO_MARK = '(démonstration)';
const DAY = 24 * 3600 * 1000;
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);

const ASSOCIATIONS = [
  {
    key: 'pracomtal',
    name: 'Centre social de Pracomtal',
    siret: '77567227200017',
    rna: 'W261000101',
    address: '2 rue des Alpes, 26200 Montélimar',
    representative: 'Nadia Benali, présidente',
  },
  {
    key: 'nocaze',
    name: 'Régie de quartier de Nocaze',
    siret: '41234567000019',
    rna: 'W261000202',
    address: '5 allée des Tilleuls, 26200 Montélimar',
    representative: 'Julien Martin, président',
  },
  {
    key: 'treteaux',
    name: 'Compagnie Les Tréteaux du centre ancien',
    siret: '50123456100014',
    rna: 'W261000303',
    address: '14 rue Pierre-Julien, 26200 Montélimar',
    representative: 'Claire Roux, présidente',
  },
];

function isoDate(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
}

async function firstStake(dataSource: DataSource, contractId: string, themeCode: string, stakeIndex = 0) {
  const theme = await dataSource.getRepository(ThemeEntity).findOneByOrFail({ contractId, code: themeCode });
  const stakes = await dataSource
    .getRepository(StakeEntity)
    .find({ where: { themeId: theme.id }, order: { position: 'ASC' } });
  const measure = await dataSource
    .getRepository(MeasureEntity)
    .findOne({ where: { stakeId: stakes[stakeIndex].id }, order: { position: 'ASC' } });
  return { stakeId: stakes[stakeIndex].id, measureId: measure?.id };
}

function body(
  ids: { stakeId: string; measureId?: string },
  year: number,
  action: {
    title: string;
    themeCode: string;
    qpvCodes: string[];
    total: number;
    women: number;
    youth: number;
    requests: Record<string, number>;
    own: number;
    /** Funders outside the contract (FSE, a foundation): counted in the budget, never decided here. */
    outside?: Record<string, number>;
    /** Volunteer time valued in 864 / 870, outside every share. */
    volunteering?: number;
  },
): CreateApplicationDto {
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const cost = sum(Object.values(action.requests)) + sum(Object.values(action.outside ?? {})) + action.own;
  const volunteering = action.volunteering ?? 0;
  return {
    title: action.title,
    summary: `${action.title} : action de proximité pour les habitants des quartiers prioritaires.`,
    objectives: 'Renforcer le lien social et l’accès aux droits des habitants.',
    description:
      'Ateliers hebdomadaires animés par des professionnels et des bénévoles, bilan trimestriel avec les partenaires.',
    themeCode: action.themeCode,
    stakeId: ids.stakeId,
    ...(ids.measureId ? { measureId: ids.measureId } : {}),
    qpvCodes: action.qpvCodes,
    location: 'Montélimar',
    startDate: `${year}-01-15`,
    endDate: `${year}-12-15`,
    beneficiaries: {
      total: action.total,
      qpvResidents: Math.round(action.total * 0.7),
      women: action.women,
      men: action.total - action.women,
      byAge: {
        '12-15': Math.round(action.youth / 2),
        '16-25': action.youth - Math.round(action.youth / 2),
        '26-64': action.total - action.youth,
      },
    },
    indicators: [
      { label: 'Personnes accompagnées', unit: 'personnes', targetValue: action.total },
      { label: 'Habitants des quartiers prioritaires parmi elles', unit: '%', targetValue: 70 },
    ],
    priorities: {
      genderEquality: {
        marker: 1,
        measures:
          'Horaires adaptés, garde d’enfants possible pendant les ateliers, animatrices et animateurs.',
      },
      youth: {
        measures: 'Une partie des ateliers est réservée aux jeunes, en lien avec le service jeunesse.',
      },
      antiDiscrimination: {
        measures: 'Accès gratuit et sans condition, communication traduite, locaux accessibles.',
      },
    },
    budget: {
      charges: [
        { account: '64', label: 'Rémunération des animateurs', amountCents: Math.round(cost * 0.7) },
        { account: '60', label: 'Fournitures', amountCents: cost - Math.round(cost * 0.7) },
        ...(volunteering ? [{ account: '864', label: 'Personnel bénévole', amountCents: volunteering }] : []),
      ],
      products: [
        ...Object.entries(action.requests).map(([partnerCode, amountCents]) => ({
          account: '74',
          label: `Subvention ${partnerCode}`,
          amountCents,
          partnerCode,
        })),
        ...Object.entries(action.outside ?? {}).map(([funder, amountCents]) => ({
          account: funder.includes('européen') ? '74fe' : '74aidespriv',
          label: funder,
          amountCents,
          funder,
        })),
        { account: '75', label: 'Cotisations et fonds propres', amountCents: action.own },
        ...(volunteering ? [{ account: '870', label: 'Bénévolat', amountCents: volunteering }] : []),
      ],
    },
  } as CreateApplicationDto;
}

export async function seedDemo(app: INestApplicationContext, log: (line: string) => void): Promise<void> {
  const dataSource = app.get(DataSource);
  const accounts = app.get(AccountsService);
  const membership = app.get(MembershipService);
  const campaigns = app.get(CampaignsService);
  const drafts = app.get(DraftsService);
  const applications = app.get(ApplicationLifecycleService);
  const attachments = app.get(AttachmentsService);
  const reviews = app.get(ReviewsService);
  const decisions = app.get(DecisionsService);
  const conventions = app.get(ConventionsService);
  const payments = app.get(PaymentsService);
  const reports = app.get(ReportsService);

  const admin = await dataSource
    .getRepository(UserEntity)
    .findOne({ where: { role: 'CITY_TEAM' }, order: { createdAt: 'ASC' } });
  if (!admin?.contractId) throw new Error('Run `npm run db:setup` first: no city-team user.');
  // The seed acts for each user outside any signed-in session.
  const actingAs = async (id: string): Promise<AuthUser> => ({
    ...(await accounts.findActiveUser(id))!,
    sessionId: randomUUID(),
  });
  const cityTeam = await actingAs(admin.id);
  if (
    await dataSource.getRepository(CampaignEntity).exists({
      where: {
        contractId: cityTeam.contractId!,
        title: `Appel à projets ${new Date().getUTCFullYear() + 1} ${DEMO_MARK}`,
      },
    })
  ) {
    log('Demo data already there: nothing to do.');
    return;
  }
  const year = new Date().getUTCFullYear() + 1;
  // Each step is taken by its user (the services record them as the actor), under a request id of its own.
  const as = <T>(_user: AuthUser, work: () => Promise<T>): Promise<T> => runWithRequestId(randomUUID(), work);

  const campaign = await as(cityTeam, () =>
    campaigns.create(cityTeam, {
      year,
      title: `Appel à projets ${year} ${DEMO_MARK}`,
      opensAt: isoDate(-20),
      submissionDeadline: isoDate(60),
      reviewDeadline: isoDate(90),
      cotechDate: isoDate(100),
      copilDate: isoDate(110),
      reportDeadline: `${year + 1}-06-30`,
    }),
  );
  await as(cityTeam, () =>
    campaigns.putEnvelopes(cityTeam, campaign.id, {
      envelopes: [
        { partnerCode: 'E', themeCode: 'EMP', amountCents: 60_000_00 },
        { partnerCode: 'E', amountCents: 120_000_00 },
        { partnerCode: 'V', amountCents: 150_000_00 },
        { partnerCode: 'CAF', themeCode: 'EDU', amountCents: 50_000_00 },
        { partnerCode: 'CAF', themeCode: 'SOL', amountCents: 30_000_00 },
        { partnerCode: 'CD', amountCents: 40_000_00 },
        { partnerCode: 'AGG', themeCode: 'CDV', amountCents: 25_000_00 },
      ],
    }),
  );
  await as(cityTeam, () => campaigns.transition(cityTeam, campaign.id, 'OPEN'));
  log(`Campaign ${campaign.title}: open until ${isoDate(60)}.`);

  for (const partnerCode of ['E', 'V', 'CAF', 'CD']) {
    const email = `financeur.${partnerCode.toLowerCase()}@demo.contrat-de-ville.fr`;
    if (!(await dataSource.getRepository(UserEntity).exists({ where: { email } }))) {
      await as(cityTeam, () =>
        accounts.createUser(cityTeam, {
          email,
          password: DEMO_PASSWORD,
          displayName: `Instructeur ${partnerCode}`,
          role: 'FINANCER',
          partnerCode,
        }),
      );
    }
    log(`Financer ${partnerCode}: ${email} / ${DEMO_PASSWORD}`);
  }
  if (!(await dataSource.getRepository(UserEntity).exists({ where: { email: DEMO_TEAM_EMAIL } }))) {
    await as(cityTeam, () =>
      accounts.createUser(cityTeam, {
        email: DEMO_TEAM_EMAIL,
        password: DEMO_PASSWORD,
        displayName: 'Équipe politique de la ville (démonstration)',
        role: 'CITY_TEAM',
      }),
    );
  }
  log(`City team: ${DEMO_TEAM_EMAIL} / ${DEMO_PASSWORD} (/pilotage)`);
  await ensureNationalUser(dataSource, {
    email: DEMO_NATIONAL_EMAIL,
    password: DEMO_PASSWORD,
    displayName: 'Agence nationale de la cohésion des territoires (démonstration)',
  });
  log(
    `National agency: ${DEMO_NATIONAL_EMAIL} / ${DEMO_PASSWORD} (GET /api/v1/national/summary?year=${year})`,
  );

  const holders = new Map<string, AuthUser>();
  for (const association of ASSOCIATIONS) {
    const email = `${association.key}@demo.contrat-de-ville.fr`;
    let user = await dataSource.getRepository(UserEntity).findOne({ where: { email } });
    if (!user) {
      const outcome = await membership.register({
        email,
        password: DEMO_PASSWORD,
        displayName: association.representative,
        organization: {
          name: association.name,
          legalForm: 'Association loi 1901',
          siret: association.siret,
          rna: association.rna,
          address: association.address,
          legalRepresentative: association.representative,
          contactEmail: email,
        },
      });
      if (outcome.kind !== 'REGISTERED') throw new Error(`${association.name} is registered already`);
      const { user: registered, organization } = outcome.result;
      // Demonstration addresses receive no mail: they count as confirmed (by their registrant, for the audit).
      await auditedTransaction(dataSource, { id: registered.id }, async (em) => {
        await em.getRepository(UserEntity).update({ id: registered.id }, { emailConfirmedAt: new Date() });
        await em
          .getRepository(OrganizationEntity)
          .update({ id: organization.id }, { contactEmailConfirmedAt: new Date() });
      });
      user = await dataSource.getRepository(UserEntity).findOneByOrFail({ id: registered.id });
    }
    holders.set(association.key, await actingAs(user.id));
    log(`Association ${association.name}: ${email} / ${DEMO_PASSWORD}`);
  }

  const contractId = cityTeam.contractId!;
  /** The sworn statement of CERFA 12156 §7, signed by the association's legal representative. */
  /** Who signs for the association: its legal representative (« Nadia Benali, présidente »). */
  const signatory = (holder: AuthUser) => {
    const [name, role = 'présidence'] = holder.displayName.split(', ');
    return { signatoryName: name, signatoryRole: role.charAt(0).toUpperCase() + role.slice(1) };
  };
  const certify = (holder: AuthUser) => ({
    certification: {
      ...signatory(holder),
      certifiesAccuracy: true,
      obligationsUpToDate: true,
      budgetApproved: true,
      publicAidDeclared: true,
      paymentToOwnAccount: true,
      republicanCommitmentSigned: true,
    },
  });
  const make = async (
    holderKey: string,
    themeCode: string,
    action: Parameters<typeof body>[2],
    documents = true,
    call: { id: string; year: number } = campaign,
  ) => {
    const holder = holders.get(holderKey)!;
    const stake = await firstStake(dataSource, contractId, themeCode);
    const input = body(stake, call.year, action);
    const created = await as(holder, () => drafts.create(holder, call.id, input));
    if (documents) {
      for (const kind of ['STATUTES', 'BANK_DETAILS', 'ACCOUNTS']) {
        await as(holder, () =>
          attachments.upload(holder, created.id, kind, {
            originalname: `${kind.toLowerCase()}.pdf`,
            buffer: PDF,
            size: PDF.length,
          }),
        );
      }
    }
    return { holder, id: created.id, reference: created.reference, input };
  };

  const schooling = await make('pracomtal', 'EDU', {
    title: 'Accompagnement à la scolarité',
    themeCode: 'EDU',
    qpvCodes: ['QN02602M'],
    total: 60,
    women: 32,
    youth: 55,
    requests: { CAF: 9_000_00, V: 6_000_00 },
    own: 5_000_00,
  });
  await as(schooling.holder, () =>
    applications.submit(schooling.holder, schooling.id, certify(schooling.holder)),
  );

  await make(
    'pracomtal',
    'SOL',
    {
      title: 'Permanence d’écrivain public',
      themeCode: 'SOL',
      qpvCodes: ['QN02602M', 'QN02603M'],
      total: 120,
      women: 70,
      youth: 10,
      requests: { V: 4_000_00 },
      own: 1_500_00,
    },
    false,
  );

  const gardens = await make('nocaze', 'EMP', {
    title: 'Chantier éducatif des jardins familiaux de Nocaze',
    themeCode: 'EMP',
    qpvCodes: ['QN02603M'],
    total: 14,
    women: 6,
    youth: 14,
    requests: { E: 12_000_00, V: 8_000_00, CD: 5_000_00 },
    outside: { 'Fonds social européen': 4_000_00 },
    own: 2_000_00,
    volunteering: 3_500_00,
  });
  await as(gardens.holder, () => applications.submit(gardens.holder, gardens.id, certify(gardens.holder)));
  await as(cityTeam, () => applications.decideEligibility(cityTeam, gardens.id, { eligible: true }));

  const mediation = await make('nocaze', 'SEC', {
    title: 'Médiation de proximité en soirée',
    themeCode: 'SEC',
    qpvCodes: ['QN02603M', 'QN02604M'],
    total: 300,
    women: 140,
    youth: 120,
    requests: { E: 15_000_00, V: 15_000_00 },
    own: 8_000_00,
  });
  await as(mediation.holder, () =>
    applications.submit(mediation.holder, mediation.id, certify(mediation.holder)),
  );
  await as(cityTeam, () =>
    applications.returnToHolder(
      cityTeam,
      mediation.id,
      'Merci de préciser les horaires de présence et de joindre le bilan de l’an dernier.',
    ),
  );

  const theatre = await make('treteaux', 'SOL', {
    title: 'Théâtre forum sur l’égalité entre les femmes et les hommes',
    themeCode: 'SOL',
    qpvCodes: ['QN02604M'],
    total: 80,
    women: 44,
    youth: 40,
    requests: { CAF: 5_000_00, V: 5_000_00, E: 4_000_00 },
    own: 3_000_00,
  });
  await as(theatre.holder, () => applications.submit(theatre.holder, theatre.id, certify(theatre.holder)));

  log(
    `Applications: ${[schooling, gardens, mediation, theatre].map((a) => a.reference).join(', ')} and one draft.`,
  );

  // A complementary call of this year, its submissions closed: the financers' review desk has work to show.
  const complementary = await as(cityTeam, () =>
    campaigns.create(cityTeam, {
      year: year - 1,
      title: `Appel complémentaire ${year - 1} ${DEMO_MARK}`,
      opensAt: isoDate(-40),
      submissionDeadline: isoDate(1),
      reviewDeadline: isoDate(30),
      cotechDate: isoDate(35),
      copilDate: isoDate(45),
      reportDeadline: `${year}-12-31`,
    }),
  );
  await as(cityTeam, () =>
    campaigns.putEnvelopes(cityTeam, complementary.id, {
      envelopes: [
        { partnerCode: 'E', amountCents: 40_000_00 },
        { partnerCode: 'V', amountCents: 40_000_00 },
      ],
    }),
  );
  await as(cityTeam, () => campaigns.transition(cityTeam, complementary.id, 'OPEN'));
  const inReview = [
    await make(
      'treteaux',
      'EMP',
      {
        title: 'Atelier de remobilisation par le théâtre',
        themeCode: 'EMP',
        qpvCodes: ['QN02604M'],
        total: 16,
        women: 9,
        youth: 16,
        requests: { E: 6_000_00, V: 3_000_00 },
        own: 1_500_00,
      },
      true,
      complementary,
    ),
    await make(
      'nocaze',
      'SOL',
      {
        title: 'Café des parents de Nocaze',
        themeCode: 'SOL',
        qpvCodes: ['QN02603M'],
        total: 40,
        women: 28,
        youth: 0,
        requests: { E: 3_500_00, V: 2_500_00 },
        own: 1_000_00,
      },
      true,
      complementary,
    ),
  ];
  for (const application of inReview) {
    await as(application.holder, () =>
      applications.submit(application.holder, application.id, certify(application.holder)),
    );
    await as(cityTeam, () => applications.decideEligibility(cityTeam, application.id, { eligible: true }));
  }
  await as(cityTeam, () => campaigns.transition(cityTeam, complementary.id, 'REVIEW'));
  // The État's reviewer has validated its review of the first one: the COTECH table and the COPIL show it.
  const reviewerE = await dataSource
    .getRepository(UserEntity)
    .findOneByOrFail({ email: 'financeur.e@demo.contrat-de-ville.fr' });
  const financerE = await actingAs(reviewerE.id);
  await as(financerE, () =>
    reviews.put(financerE, inReview[0].id, 'E', {
      scores: { STAKE_FIT: 4, QPV_IMPACT: 4, PARTNERSHIP: 3, TRANSVERSAL_PRIORITIES: 4, BUDGET_REALISM: 3 },
      opinion: 'FAVORABLE',
      proposedAmountCents: 5_000_00,
      comment: 'Action utile, montant ajusté au nombre de séances.',
      final: true,
    }),
  );
  log(
    `Campaign ${complementary.title}: in review, ${inReview.map((a) => a.reference).join(', ')} (financers: /instruction).`,
  );

  // This year's call, programmed: its conventions signed and advances paid, one report accepted (its balance
  // due) and one waiting for the city team; the follow-up, payment and evaluation pages have work to show.
  const programmed = await as(cityTeam, () =>
    campaigns.create(cityTeam, {
      year: year - 1,
      title: `Appel à projets ${year - 1} ${DEMO_MARK}`,
      opensAt: isoDate(-60),
      submissionDeadline: isoDate(1),
      reviewDeadline: isoDate(5),
      cotechDate: isoDate(7),
      copilDate: isoDate(10),
      reportDeadline: `${year}-06-30`,
    }),
  );
  await as(cityTeam, () =>
    campaigns.putEnvelopes(cityTeam, programmed.id, {
      envelopes: [
        { partnerCode: 'E', amountCents: 50_000_00 },
        { partnerCode: 'V', amountCents: 50_000_00 },
        { partnerCode: 'CAF', amountCents: 20_000_00 },
      ],
    }),
  );
  await as(cityTeam, () => campaigns.transition(cityTeam, programmed.id, 'OPEN'));
  const funded = [
    {
      application: await make(
        'treteaux',
        'EMP',
        {
          title: 'Chantier d’insertion par la scénographie',
          themeCode: 'EMP',
          qpvCodes: ['QN02604M', 'QN02602M'],
          total: 18,
          women: 8,
          youth: 18,
          requests: { E: 4_270_00, V: 3_000_00 },
          own: 1_230_00,
        },
        true,
        programmed,
      ),
      grants: { E: 4_270_00, V: 3_000_00 },
      reasons: {} as Record<string, string>,
      achieved: [20, 75],
    },
    {
      application: await make(
        'pracomtal',
        'EDU',
        {
          title: 'Soutien scolaire en petits groupes',
          themeCode: 'EDU',
          qpvCodes: ['QN02602M'],
          total: 45,
          women: 24,
          youth: 45,
          requests: { CAF: 6_000_00, V: 4_000_00 },
          own: 2_000_00,
        },
        true,
        programmed,
      ),
      grants: { CAF: 5_000_00, V: 4_000_00 },
      reasons: { CAF: 'Enveloppe de la CAF partagée entre les actions éducatives.' } as Record<
        string,
        string
      >,
      achieved: [41, 80],
    },
  ];
  for (const { application } of funded) {
    await as(application.holder, () =>
      applications.submit(application.holder, application.id, certify(application.holder)),
    );
    await as(cityTeam, () => applications.decideEligibility(cityTeam, application.id, { eligible: true }));
  }
  await as(cityTeam, () => campaigns.transition(cityTeam, programmed.id, 'REVIEW'));
  for (const { application, grants, reasons } of funded) {
    await as(cityTeam, () =>
      decisions.put(cityTeam, application.id, {
        decisions: Object.entries(grants).map(([partnerCode, grantedAmountCents]) => ({
          partnerCode,
          grantedAmountCents,
          ...(partnerCode in reasons ? { reason: reasons[partnerCode] } : {}),
        })),
      }),
    );
  }
  await as(cityTeam, () => campaigns.transition(cityTeam, programmed.id, 'PROGRAMMED'));
  const today = isoDate(0);
  for (const [index, { application, grants, achieved }] of funded.entries()) {
    // The worker renders each convention once the programming is closed; the seed renders it at once, to sign it.
    const convention = await dataSource
      .getRepository(ConventionEntity)
      .findOneByOrFail({ applicationId: application.id });
    await conventions.generate(convention.id);
    for (const party of ['HOLDER', ...Object.keys(grants)])
      await as(cityTeam, () => payments.sign(cityTeam, application.id, { party, signedOn: today }));
    for (const [n, advance] of (await payments.list(cityTeam, application.id)).items.entries()) {
      // The number of the financer's legal commitment (engagement juridique) in its accounts.
      const engagementReference = String(2100012340 + index * 10 + n);
      await as(cityTeam, () =>
        payments.markPaid(cityTeam, application.id, advance.id, { paidOn: today, engagementReference }),
      );
    }
    const planned = application.input;
    const [qpv, ...others] = planned.qpvCodes!;
    const beneficiaries = planned.beneficiaries!;
    await as(application.holder, () =>
      reports.put(application.holder, application.id, {
        budget: planned.budget!,
        beneficiaries: {
          ...beneficiaries,
          total: beneficiaries.total!,
          byQpv: Object.fromEntries([
            [qpv, beneficiaries.qpvResidents! - others.length],
            ...others.map((code) => [code, 1]),
          ]),
        },
        achievements:
          'Les ateliers ont eu lieu chaque semaine comme prévu ; la fréquentation a dépassé l’objectif au second semestre.',
        indicators: planned.indicators!.map((indicator, position) => ({
          ...indicator,
          achievedValue: achieved[position],
        })),
        actualStartDate: planned.startDate,
        actualEndDate: today < planned.endDate! ? today : planned.endDate,
        certification: { ...signatory(application.holder), certifiesAccuracy: true },
      }),
    );
    await as(application.holder, () => reports.submit(application.holder, application.id));
  }
  // The first report is accepted: its grants are settled, the balances fall due.
  await as(cityTeam, () => payments.acceptReport(cityTeam, funded[0].application.id));
  log(
    `Campaign ${programmed.title}: programmed, conventions signed and advances paid; report of ${funded[0].application.reference} accepted, of ${funded[1].application.reference} to accept (/pilotage/versements).`,
  );
}
