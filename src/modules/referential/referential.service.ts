import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { notFound } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { auditedTransaction } from '../../database/audit-actor.js';
import { paginate, Page } from '../../common/pagination.dto.js';
import { ContractEntity } from './contract.entity.js';
import { ThemeEntity } from './theme.entity.js';
import { StakeEntity } from './stake.entity.js';
import { MeasureEntity } from './measure.entity.js';
import { MeasurePartnerEntity } from './measure-partner.entity.js';
import { PartnerEntity } from './partner.entity.js';
import { QpvEntity } from './qpv.entity.js';
import type {
  PartnerDto,
  QpvDto,
  ReferentialQueryDto,
  ThemeDto,
  UpdatePartnerDto,
} from './dto/referential.dto.js';

@Injectable()
export class ReferentialService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The contract's name a page's header shows: the user's contract, else the deployment's when it hosts one
   * contract only (a deployment of several contracts names none to whom has none).
   */
  async contractName(contractId: string | null | undefined): Promise<string | undefined> {
    const contracts = this.dataSource.getRepository(ContractEntity);
    if (contractId)
      return (await contracts.findOne({ where: { id: contractId }, select: { name: true } }))?.name;
    const some = await contracts.find({ select: { name: true }, take: 2 });
    return some.length === 1 ? some[0].name : undefined;
  }

  /** The contract a request reads: the one named, else the caller's, else the deployment's first. */
  async resolveContractId(
    user: AuthUser,
    query: Pick<ReferentialQueryDto, 'contractId' | 'contractCode'>,
  ): Promise<string> {
    const contracts = this.dataSource.getRepository(ContractEntity);
    const where = query.contractId
      ? { id: query.contractId }
      : query.contractCode
        ? { code: query.contractCode }
        : user.contractId
          ? { id: user.contractId }
          : undefined;
    const contract = where
      ? await contracts.findOne({ where, select: { id: true } })
      : await contracts.findOne({ where: {}, order: { createdAt: 'ASC' }, select: { id: true } });
    if (!contract) throw notFound('Contrat de ville');
    return contract.id;
  }

  async themes(user: AuthUser, query: ReferentialQueryDto): Promise<Page<ThemeDto>> {
    const contractId = await this.resolveContractId(user, query);
    const themes = await this.dataSource
      .getRepository(ThemeEntity)
      .find({ where: { contractId }, order: { position: 'ASC' } });
    // Four flat queries rather than one join: joined relations would multiply rows.
    const stakes = themes.length
      ? await this.dataSource
          .getRepository(StakeEntity)
          .find({ where: { themeId: In(themes.map((theme) => theme.id)) }, order: { position: 'ASC' } })
      : [];
    const measures = stakes.length
      ? await this.dataSource
          .getRepository(MeasureEntity)
          .find({ where: { stakeId: In(stakes.map((stake) => stake.id)) }, order: { position: 'ASC' } })
      : [];
    const links = measures.length
      ? await this.dataSource
          .getRepository(MeasurePartnerEntity)
          .createQueryBuilder('link')
          .innerJoin('link.partner', 'partner')
          .select(['link.measureId AS "measureId"', 'link.role AS "role"', 'partner.code AS "code"'])
          .where('link.measureId IN (:...ids)', { ids: measures.map((measure) => measure.id) })
          .orderBy('partner.code')
          .getRawMany<{ measureId: string; role: 'LEAD' | 'ASSOCIATED'; code: string }>()
      : [];

    const linksOf = groupBy(links, (link) => link.measureId);
    const measuresOf = groupBy(measures, (measure) => measure.stakeId);
    const stakesOf = groupBy(stakes, (stake) => stake.themeId);
    const items = themes.map((theme) => ({
      code: theme.code,
      label: theme.label,
      stakes: (stakesOf.get(theme.id) ?? []).map((stake) => ({
        id: stake.id,
        label: stake.label,
        measures: (measuresOf.get(stake.id) ?? []).map((measure) => {
          const own = linksOf.get(measure.id) ?? [];
          return {
            id: measure.id,
            label: measure.label,
            leadPartners: own.filter((link) => link.role === 'LEAD').map((link) => link.code),
            partners: own.filter((link) => link.role === 'ASSOCIATED').map((link) => link.code),
          };
        }),
      })),
    }));
    return paginate(items, query);
  }

  async partners(user: AuthUser, query: ReferentialQueryDto): Promise<Page<PartnerDto>> {
    const contractId = await this.resolveContractId(user, query);
    const partners = await this.dataSource
      .getRepository(PartnerEntity)
      .find({ where: { contractId }, relations: { parent: true }, order: { code: 'ASC' } });
    const items = partners.map((partner) => ({
      code: partner.code,
      name: partner.name,
      kind: partner.kind,
      ...(partner.parent ? { parentCode: partner.parent.code } : {}),
      isFinancer: partner.isFinancer,
      ...(partner.siret ? { siret: partner.siret } : {}),
      ...(partner.signatory ? { signatory: partner.signatory } : {}),
    }));
    return paginate(items, query);
  }

  /** The city team keeps its contract's partners up to date (name, SIRET for open data, financer flag). */
  async updatePartner(user: AuthUser, code: string, input: UpdatePartnerDto): Promise<PartnerDto> {
    const repository = this.dataSource.getRepository(PartnerEntity);
    const partner = await repository.findOne({
      where: { contractId: user.contractId ?? undefined, code },
      relations: { parent: true },
    });
    if (!partner || !user.contractId) throw notFound('Partenaire');
    Object.assign(partner, input);
    await auditedTransaction(this.dataSource, user, (em) =>
      em.getRepository(PartnerEntity).update(
        { id: partner.id },
        {
          name: partner.name,
          siret: partner.siret,
          isFinancer: partner.isFinancer,
          signatory: partner.signatory?.trim() || null,
        },
      ),
    );
    return {
      code: partner.code,
      name: partner.name,
      kind: partner.kind,
      ...(partner.parent ? { parentCode: partner.parent.code } : {}),
      isFinancer: partner.isFinancer,
      ...(partner.siret ? { siret: partner.siret } : {}),
      ...(partner.signatory?.trim() ? { signatory: partner.signatory.trim() } : {}),
    };
  }

  async qpvs(user: AuthUser, query: ReferentialQueryDto): Promise<Page<QpvDto>> {
    const contractId = await this.resolveContractId(user, query);
    const qpvs = await this.dataSource
      .getRepository(QpvEntity)
      .find({ where: { contractId }, order: { code: 'ASC' } });
    const items = qpvs.map(({ code, name, commune, population, formerNames }) => ({
      code,
      name,
      commune,
      population,
      formerNames,
    }));
    return paginate(items, query);
  }
}

function groupBy<T>(values: T[], key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const group = groups.get(key(value));
    if (group) group.push(value);
    else groups.set(key(value), [value]);
  }
  return groups;
}
