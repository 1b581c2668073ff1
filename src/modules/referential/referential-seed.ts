import { readFile } from 'node:fs/promises';
import { DataSource, EntityManager } from 'typeorm';
import { ContractEntity } from './contract.entity.js';
import { PartnerEntity, PartnerKind } from './partner.entity.js';
import { ThemeEntity } from './theme.entity.js';
import { StakeEntity } from './stake.entity.js';
import { MeasureEntity } from './measure.entity.js';
import { MeasurePartnerEntity } from './measure-partner.entity.js';
import { TransversalPriorityEntity } from './transversal-priority.entity.js';
import { QpvEntity } from './qpv.entity.js';
import { parseCsv } from '../../common/csv.js';

export interface ReferentialSeed {
  contract: {
    code: string;
    name: string;
    territory: string;
    signaturePlace?: string;
    /** The contract the deployment serves now. */
    periodStart: string;
    periodEnd: string;
    /** The text the referential comes from, and the contract and period it belongs to. */
    protocol?: {
      title: string;
      contractName: string;
      contractCode: string;
      periodStart: string;
      periodEnd: string;
    };
  };
  partners: {
    code: string;
    name: string;
    kind: PartnerKind;
    parent?: string;
    isFinancer?: boolean;
    siret?: string;
    signatory?: string;
  }[];
  transversalPriorities: { code: string; label: string; description: string }[];
  qpvAliases: Record<string, string[]>;
  themes: {
    code: string;
    label: string;
    stakes: { label: string; measures: { label: string; lead: string[]; associated: string[] }[] }[];
  }[];
}

export interface QpvRow {
  code: string;
  name: string;
  commune: string;
  inseeCommune: string;
  contractCode: string | null;
}

/** Reads the 2024 QPV of the reference CSV files (Montélimar's with their contract, the Drôme's without). */
export async function readQpvRows(montelimarCsv: string, dromeCsv: string): Promise<QpvRow[]> {
  const rows = new Map<string, QpvRow>();
  for (const row of parseCsv(await readFile(dromeCsv, 'utf8'))) {
    rows.set(row.code_qp, {
      code: row.code_qp,
      name: row.lib_qp,
      commune: row.lib_com,
      inseeCommune: row.insee_com,
      contractCode: null,
    });
  }
  for (const row of parseCsv(await readFile(montelimarCsv, 'utf8'))) {
    if (row.geographie !== '2024') continue;
    rows.set(row.code_qp, {
      code: row.code_qp,
      name: row.nom_qp,
      commune: row.commune,
      inseeCommune: row.insee_com,
      contractCode: row.contrat_de_ville_code,
    });
  }
  return [...rows.values()];
}

async function upsert<T extends object>(
  em: EntityManager,
  entity: new () => T,
  values: Partial<T>,
  conflictColumns: string[],
  updateColumns: string[],
): Promise<string> {
  const result = await em
    .createQueryBuilder()
    .insert()
    .into(entity)
    .values(values as never)
    .orUpdate(updateColumns, conflictColumns)
    .returning('id')
    .execute();
  return (result.raw as { id: string }[])[0].id;
}

/** Upserts a contract's referential by natural keys, in one transaction; running it twice changes nothing. */
export async function seedReferential(
  dataSource: DataSource,
  seed: ReferentialSeed,
  qpvs: QpvRow[],
): Promise<string> {
  return dataSource.transaction(async (em) => {
    const { protocol } = seed.contract;
    const contractId = await upsert(
      em,
      ContractEntity,
      {
        code: seed.contract.code,
        name: seed.contract.name,
        territory: seed.contract.territory,
        signaturePlace: seed.contract.signaturePlace ?? null,
        periodStart: seed.contract.periodStart,
        periodEnd: seed.contract.periodEnd,
        protocolTitle: protocol?.title ?? null,
        protocolContractName: protocol?.contractName ?? null,
        protocolContractCode: protocol?.contractCode ?? null,
        protocolPeriodStart: protocol?.periodStart ?? null,
        protocolPeriodEnd: protocol?.periodEnd ?? null,
      },
      ['code'],
      [
        'name',
        'territory',
        'signature_place',
        'period_start',
        'period_end',
        'protocol_title',
        'protocol_contract_name',
        'protocol_contract_code',
        'protocol_period_start',
        'protocol_period_end',
      ],
    );

    const partnerIds = new Map<string, string>();
    // Parents first: the seed lists them before their services.
    for (const partner of seed.partners) {
      const parentId = partner.parent ? partnerIds.get(partner.parent) : null;
      if (partner.parent && !parentId)
        throw new Error(`Partner ${partner.code}: parent ${partner.parent} is not listed before it`);
      const id = await upsert(
        em,
        PartnerEntity,
        {
          contractId,
          code: partner.code,
          name: partner.name,
          kind: partner.kind,
          parentId: parentId ?? null,
          isFinancer: partner.isFinancer ?? false,
          siret: partner.siret ?? null,
          signatory: partner.signatory ?? null,
        },
        ['contract_id', 'code'],
        ['name', 'kind', 'parent_id', 'is_financer'],
      );
      partnerIds.set(partner.code, id);
    }

    for (const priority of seed.transversalPriorities) {
      await upsert(
        em,
        TransversalPriorityEntity,
        { contractId, ...priority },
        ['contract_id', 'code'],
        ['label', 'description'],
      );
    }

    for (const [themeIndex, theme] of seed.themes.entries()) {
      const themeId = await upsert(
        em,
        ThemeEntity,
        { contractId, code: theme.code, label: theme.label, position: themeIndex + 1 },
        ['contract_id', 'code'],
        ['label', 'position'],
      );
      for (const [stakeIndex, stake] of theme.stakes.entries()) {
        const stakeId = await upsert(
          em,
          StakeEntity,
          { themeId, label: stake.label, position: stakeIndex + 1 },
          ['theme_id', 'position'],
          ['label'],
        );
        for (const [measureIndex, measure] of stake.measures.entries()) {
          const measureId = await upsert(
            em,
            MeasureEntity,
            { stakeId, label: measure.label, position: measureIndex + 1 },
            ['stake_id', 'position'],
            ['label'],
          );
          await em.delete(MeasurePartnerEntity, { measureId });
          const links = [
            ...measure.lead.map((code) => ({ code, role: 'LEAD' as const })),
            ...measure.associated.map((code) => ({ code, role: 'ASSOCIATED' as const })),
          ].map(({ code, role }) => {
            const partnerId = partnerIds.get(code);
            if (!partnerId) throw new Error(`Measure "${measure.label}": unknown partner ${code}`);
            return { measureId, partnerId, role };
          });
          await em.insert(MeasurePartnerEntity, links);
        }
      }
    }

    for (const qpv of qpvs) {
      const ownContract = qpv.contractCode === seed.contract.code;
      await em
        .createQueryBuilder()
        .insert()
        .into(QpvEntity)
        .values({
          code: qpv.code,
          name: qpv.name,
          commune: qpv.commune,
          inseeCommune: qpv.inseeCommune,
          formerNames: ownContract ? (seed.qpvAliases[qpv.code] ?? []) : [],
          contractId: ownContract ? contractId : null,
        })
        .orUpdate(
          ownContract
            ? ['name', 'commune', 'insee_commune', 'former_names', 'contract_id']
            : ['name', 'commune', 'insee_commune'],
          ['code'],
        )
        .execute();
    }
    return contractId;
  });
}
