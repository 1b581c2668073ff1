import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { conflict, notFound, unprocessable } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { parisDate } from '../../common/paris-time.js';
import { frenchDate } from '../../common/french.js';
import { formatEuros } from '../../common/money.js';
import { auditedTransaction } from '../../database/audit-actor.js';
import { AccessService } from '../access/access.service.js';
import { officialEmail } from '../accounts/accounts.repository.js';
import { OrganizationEntity } from '../accounts/organization.entity.js';
import { GrantApplicationEntity } from '../applications/application.entity.js';
import { DEFAULT_CAMPAIGN_RULES, type CampaignRules } from '../campaigns/campaign-rules.js';
import { CampaignEntity } from '../campaigns/campaign.entity.js';
import { totalCost } from '../checks/checks.js';
import { ConventionEntity } from '../conventions/convention.entity.js';
import { addToOutbox, type NewNotification } from '../notifications/outbox.repository.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { ReportEntity } from '../reports/report.entity.js';
import { ConventionSignatureEntity, HOLDER_PARTY } from './convention-signature.entity.js';
import type {
  PaidInputDto,
  PaymentDto,
  PaymentLinePageDto,
  PaymentQueryDto,
  SignatureInputDto,
  SignaturesDto,
} from './dto/payment.dto.js';
import { signedCopyOf } from './signed-copy.service.js';
import { lockReadyConvention } from './ready-convention.js';
import { PaymentEntity } from './payment.entity.js';
import { grants, partnerCodeOf, partnerIdOf, partnerNameOf, paymentLedger } from './payments.repository.js';
import { advanceCents, grantDueCents, settlement } from './settlement.js';
import './payments.errors.js'; // registers the codes thrown here

/** Loi 2021-875 (art. 2): a subsidy is paid within 60 days of its notification. */
export const PAYMENT_DELAY_DAYS = 60;
const KIND_ORDER = ['ADVANCE', 'BALANCE', 'RECOVERY'];

function assertNotFuture(date: string, field: string): void {
  if (date > parisDate(new Date()))
    throw unprocessable('DATE_IN_FUTURE', 'Cette date est dans le futur.', field);
}

const KIND_LABELS: Record<string, string> = {
  ADVANCE: 'L’avance',
  BALANCE: 'Le solde',
  RECOVERY: 'Le reversement',
};

/** The holder's email about a payment that falls due or is paid (none while no address is confirmed). */
async function paymentEmail(
  em: EntityManager,
  applicationId: string,
  payment: { id: string; kind: string; amountCents: number; partnerId: string; dueOn: string },
  event: 'due' | 'paid',
  paid?: { paidOn: string; engagementReference: string | null },
): Promise<NewNotification[]> {
  const app = await em.getRepository(GrantApplicationEntity).findOneByOrFail({ id: applicationId });
  const to = await officialEmail(em, app.organizationId);
  if (!to) return [];
  const partnerName = await partnerNameOf(em, payment.partnerId);
  const common = {
    reference: app.reference,
    title: app.title,
    kindLabel: KIND_LABELS[payment.kind],
    amount: formatEuros(payment.amountCents),
    partnerName,
  };
  const base = { to, contractId: app.contractId, applicationId, dedupeKey: `payment-${event}:${payment.id}` };
  return [
    event === 'due'
      ? {
          ...base,
          type: 'PAYMENT_DUE',
          payload: { ...common, kind: payment.kind, dueOn: frenchDate(payment.dueOn) },
        }
      : {
          ...base,
          type: 'PAYMENT_PAID',
          payload: {
            ...common,
            paidOn: frenchDate(paid!.paidOn),
            engagementReference: paid!.engagementReference ?? '',
          },
        },
  ];
}

/** How many days from one date to another (dates `YYYY-MM-DD`). */
const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * What follows the COPIL (api-contract.md, « Conventions and payments »): each party's signature of the
 * convention, the advance falling due when the last one signs; the report accepted (settling each grant
 * into a balance or a recovery) or returned to its holder with a message; each payment marked paid once.
 */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly notifications: NotificationsService,
  ) {}

  private async signaturesOf(em: EntityManager, convention: ConventionEntity, applicationId: string) {
    const [signatures, granting] = await Promise.all([
      em.getRepository(ConventionSignatureEntity).find({
        where: { conventionId: convention.id },
        order: { signedOn: 'ASC', party: 'ASC' },
      }),
      grants(em, applicationId),
    ]);
    const parties = [HOLDER_PARTY, ...granting.map((grant) => grant.code)];
    const signed = new Set(signatures.map((signature) => signature.party));
    const view: SignaturesDto = {
      status: convention.signedOn ? 'SIGNED' : 'AWAITING_SIGNATURES',
      signedOn: convention.signedOn,
      signatures: signatures.map(({ party, signedOn }) => ({ party, signedOn })),
      missing: parties.filter((party) => !signed.has(party)),
      signedCopy: signedCopyOf(convention),
    };
    return { view, parties, granting };
  }

  async signatures(user: AuthUser, applicationId: string): Promise<SignaturesDto> {
    await this.access.require(user, 'application:read-funded', { applicationId });
    const convention = await this.dataSource.getRepository(ConventionEntity).findOneBy({ applicationId });
    if (!convention) throw notFound('Convention');
    return (await this.signaturesOf(this.dataSource.manager, convention, applicationId)).view;
  }

  /**
   * Records one party's signature; the last one makes the convention SIGNED (its date that signature's, SCDL
   * `dateConvention`) and makes each granting financer's advance fall due, in the same transaction.
   */
  async sign(user: AuthUser, applicationId: string, input: SignatureInputDto): Promise<SignaturesDto> {
    await this.access.require(user, 'application:instruct', { applicationId });
    assertNotFuture(input.signedOn, 'signedOn');
    const emails: string[] = [];
    const view = await auditedTransaction(this.dataSource, user, async (em) => {
      const convention = await lockReadyConvention(em, applicationId, 'elle se signe une fois prête.');
      if (convention.signedOn)
        throw conflict('CONVENTION_SIGNED', 'La convention est déjà signée par toutes les parties.');
      const { parties, view, granting } = await this.signaturesOf(em, convention, applicationId);
      if (!parties.includes(input.party))
        throw unprocessable(
          'UNKNOWN_PARTY',
          `« ${input.party} » n’est pas partie à cette convention : ${parties.join(', ')}.`,
          'party',
        );
      if (!view.missing.includes(input.party))
        throw conflict('SIGNATURE_ALREADY_RECORDED', `La signature de ${input.party} est déjà enregistrée.`);
      if (input.signedOn < convention.issuedOn)
        throw unprocessable(
          'SIGNATURE_BEFORE_ISSUE',
          `La convention a été établie le ${convention.issuedOn} : elle ne peut pas être signée avant.`,
          'signedOn',
        );
      await em.insert(ConventionSignatureEntity, {
        conventionId: convention.id,
        party: input.party,
        signedOn: input.signedOn,
        recordedBy: user.id,
      });
      if (view.missing.length === 1) {
        const signedOn = [...view.signatures.map((signature) => signature.signedOn), input.signedOn]
          .sort()
          .at(-1)!;
        convention.signedOn = signedOn;
        await em.update(ConventionEntity, { id: convention.id }, { signedOn });
        const rules = await this.rulesOf(em, applicationId);
        for (const grant of granting) {
          const amountCents = advanceCents(grant.grantedCents, rules.advancePercent);
          if (amountCents <= 0) continue;
          const payment = {
            applicationId,
            partnerId: grant.partnerId,
            kind: 'ADVANCE' as const,
            amountCents,
            dueOn: signedOn,
          };
          const inserted = await em.insert(PaymentEntity, payment);
          const id = (inserted.identifiers[0] as { id: string }).id;
          emails.push(
            ...(await addToOutbox(em, await paymentEmail(em, applicationId, { ...payment, id }, 'due'))),
          );
        }
        this.logger.log(`Convention of ${applicationId} signed on ${signedOn}: advances due`);
      }
      return (await this.signaturesOf(em, convention, applicationId)).view;
    });
    await this.notifications.dispatch(emails);
    return view;
  }

  private async rulesOf(em: EntityManager, applicationId: string): Promise<CampaignRules> {
    const app = await em.getRepository(GrantApplicationEntity).findOneByOrFail({ id: applicationId });
    const campaign = await em.getRepository(CampaignEntity).findOneByOrFail({ id: app.campaignId });
    return { ...DEFAULT_CAMPAIGN_RULES, ...(campaign.rules as Partial<CampaignRules>) };
  }

  async list(user: AuthUser, applicationId: string): Promise<{ items: PaymentDto[]; total: number }> {
    await this.access.require(user, 'application:read-funded', { applicationId });
    const rows = await this.dataSource
      .getRepository(PaymentEntity)
      .find({ where: { applicationId }, relations: { partner: true } });
    const today = parisDate(new Date());
    const items = rows
      .sort(
        (a, b) =>
          a.partner.code.localeCompare(b.partner.code) ||
          KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind),
      )
      .map((row) => toPaymentDto(row, row.partner.code, today));
    return { items, total: items.length };
  }

  /**
   * The payments of the user's contract with the actions they pay: a financer's own, the city team's all
   * (or one financer's); those due first, the most overdue at the top.
   */
  async ledger(user: AuthUser, query: PaymentQueryDto): Promise<PaymentLinePageDto> {
    const contractId = user.contractId!;
    const em = this.dataSource.manager;
    const partnerId =
      user.role === 'FINANCER'
        ? user.partnerId!
        : query.partnerCode
          ? ((await partnerIdOf(em, contractId, query.partnerCode)) ?? '00000000-0000-0000-0000-000000000000')
          : undefined;
    const { rows, total } = await paymentLedger(em, { contractId, partnerId, status: query.status }, query);
    const today = parisDate(new Date());
    return {
      items: rows.map((row) => ({
        ...toPaymentDto(row, row.partnerCode, today),
        applicationId: row.applicationId,
        reference: row.reference,
        title: row.title,
        holderName: row.holderName,
      })),
      total,
    };
  }

  /** A payment marked paid, once: by the city team, or by the financer that pays it. */
  async markPaid(
    user: AuthUser,
    applicationId: string,
    paymentId: string,
    input: PaidInputDto,
  ): Promise<PaymentDto> {
    await this.access.require(
      user,
      user.role === 'FINANCER' ? 'application:read-funded' : 'application:instruct',
      { applicationId },
    );
    assertNotFuture(input.paidOn, 'paidOn');
    const emails: string[] = [];
    const result = await auditedTransaction(this.dataSource, user, async (em) => {
      const payment = await em
        .getRepository(PaymentEntity)
        .findOne({ where: { id: paymentId, applicationId }, lock: { mode: 'pessimistic_write' } });
      if (!payment || (user.role === 'FINANCER' && payment.partnerId !== user.partnerId))
        throw notFound('Paiement');
      if (payment.status === 'PAID')
        throw conflict('PAYMENT_ALREADY_PAID', `Ce paiement est déjà marqué payé le ${payment.paidOn}.`);
      payment.status = 'PAID';
      payment.paidOn = input.paidOn;
      payment.engagementReference = input.engagementReference ?? null;
      await em.update(
        PaymentEntity,
        { id: payment.id },
        { status: 'PAID', paidOn: input.paidOn, engagementReference: payment.engagementReference },
      );
      // The holder who paid back a recovery needs no email about it.
      if (payment.kind !== 'RECOVERY')
        emails.push(
          ...(await addToOutbox(
            em,
            await paymentEmail(em, applicationId, payment, 'paid', {
              paidOn: input.paidOn,
              engagementReference: payment.engagementReference,
            }),
          )),
        );
      return toPaymentDto(payment, await partnerCodeOf(em, payment.partnerId), parisDate(new Date()));
    });
    await this.notifications.dispatch(emails);
    return result;
  }

  /**
   * The report accepted: each granting financer's grant is settled on the action's actual cost (without
   * contributions in kind) against the planned one, the difference with the advance due as a balance or a
   * recovery from today.
   */
  async acceptReport(user: AuthUser, applicationId: string): Promise<PaymentDto[]> {
    await this.access.require(user, 'application:instruct', { applicationId });
    const emails: string[] = [];
    await auditedTransaction(this.dataSource, user, async (em) => {
      const report = await this.submittedReport(em, applicationId);
      const convention = await em.getRepository(ConventionEntity).findOneBy({ applicationId });
      if (!convention?.signedOn)
        throw conflict(
          'CONVENTION_NOT_SIGNED',
          'La convention doit être signée avant que le bilan soit accepté.',
        );
      const app = await em.getRepository(GrantApplicationEntity).findOneByOrFail({ id: applicationId });
      const actualCost = totalCost({ budget: report.budget });
      const today = parisDate(new Date());
      const advances = await em
        .getRepository(PaymentEntity)
        .find({ where: { applicationId, kind: 'ADVANCE' } });
      for (const grant of await grants(em, applicationId)) {
        const due = grantDueCents(grant.grantedCents, actualCost, app.totalCostCents);
        const advance = advances.find((payment) => payment.partnerId === grant.partnerId)?.amountCents ?? 0;
        const settled = settlement(due, advance);
        if (!settled) continue;
        const payment = { applicationId, partnerId: grant.partnerId, ...settled, dueOn: today };
        const inserted = await em.insert(PaymentEntity, payment);
        const id = (inserted.identifiers[0] as { id: string }).id;
        emails.push(
          ...(await addToOutbox(em, await paymentEmail(em, applicationId, { ...payment, id }, 'due'))),
        );
      }
      await em.update(ReportEntity, { id: report.id }, { status: 'ACCEPTED', acceptedAt: new Date() });
    });
    await this.notifications.dispatch(emails);
    return (await this.list(user, applicationId)).items;
  }

  /** The report goes back to its holder, who is emailed what to correct. */
  async returnReport(user: AuthUser, applicationId: string, message: string): Promise<void> {
    await this.access.require(user, 'application:instruct', { applicationId });
    const emails = await auditedTransaction(this.dataSource, user, async (em) => {
      const report = await this.submittedReport(em, applicationId);
      await em.update(ReportEntity, { id: report.id }, { status: 'RETURNED', returnMessage: message });
      const app = await em.getRepository(GrantApplicationEntity).findOneByOrFail({ id: applicationId });
      const holder = await em.getRepository(OrganizationEntity).findOneByOrFail({ id: app.organizationId });
      const to = await officialEmail(em, app.organizationId);
      return to
        ? addToOutbox(em, [
            {
              type: 'REPORT_RETURNED',
              to,
              payload: { reference: app.reference, title: app.title, holderName: holder.name, message },
              dedupeKey: `report-returned:${report.id}:${report.submittedAt?.toISOString() ?? ''}`,
              contractId: app.contractId,
              applicationId,
            },
          ])
        : [];
    });
    await this.notifications.dispatch(emails);
  }

  private async submittedReport(em: EntityManager, applicationId: string): Promise<ReportEntity> {
    const report = await em
      .getRepository(ReportEntity)
      .findOne({ where: { applicationId }, lock: { mode: 'pessimistic_write' } });
    if (!report) throw notFound('Bilan');
    if (report.status !== 'SUBMITTED')
      throw conflict('REPORT_NOT_SUBMITTED', 'Seul un bilan déposé s’accepte ou se renvoie.', {
        currentStatus: report.status,
      });
    return report;
  }
}

function toPaymentDto(
  payment: Pick<
    PaymentEntity,
    'id' | 'kind' | 'amountCents' | 'status' | 'dueOn' | 'paidOn' | 'engagementReference'
  >,
  partnerCode: string,
  today: string,
): PaymentDto {
  return {
    id: payment.id,
    partnerCode,
    kind: payment.kind,
    amountCents: payment.amountCents,
    status: payment.status,
    dueOn: payment.dueOn,
    ...(payment.paidOn ? { paidOn: payment.paidOn } : {}),
    ...(payment.engagementReference ? { engagementReference: payment.engagementReference } : {}),
    overdue: payment.status === 'DUE' && daysBetween(payment.dueOn, today) > PAYMENT_DELAY_DAYS,
  };
}
