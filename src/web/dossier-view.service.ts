import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth.js';
import { ApplicationsService } from '../modules/applications/applications.service.js';
import type { ApplicationDto } from '../modules/applications/dto/application.dto.js';
import { ReferentialService } from '../modules/referential/referential.service.js';
import { ReferentialQueryDto } from '../modules/referential/dto/referential.dto.js';
import { SECTIONS, sectionState, TASK_STATE_TEXT } from './task-list.js';

/** The kinds of documents, as the pages name them. */
export const KIND_LABELS: Record<string, string> = {
  STATUTES: 'Statuts de la structure',
  BANK_DETAILS: 'Relevé d’identité bancaire (RIB)',
  ACCOUNTS: 'Derniers comptes approuvés',
  ACTIVITY_REPORT: 'Dernier rapport d’activité',
  POWER_OF_ATTORNEY: 'Pouvoir du signataire (s’il n’est pas le représentant légal)',
  OTHER: 'Autre document',
};

/** What the dossier's pages read beside the dossier: the contract's referential, as the API serves it. */
@Injectable()
export class DossierViewService {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly referential: ReferentialService,
  ) {}

  /** The dossier as the API shows it to this user (another organisation's: 404, by the same policy). */
  dossier(user: AuthUser, id: string): Promise<ApplicationDto> {
    return this.applications.get(user, id);
  }

  /** One page holding a contract's whole list (its themes, QPV or partners number tens). */
  private wholeList(): ReferentialQueryDto {
    return Object.assign(new ReferentialQueryDto(), { limit: 500, offset: 0 });
  }

  async themes(user: AuthUser) {
    return (await this.referential.themes(user, this.wholeList())).items;
  }

  /** The measures of a theme, labelled by their stake, for the project page's list. */
  async measuresOf(user: AuthUser, themeCode: string) {
    const theme = (await this.themes(user)).find((candidate) => candidate.code === themeCode);
    return (theme?.stakes ?? []).flatMap((stake) =>
      stake.measures.map((measure) => ({
        value: measure.id,
        text: `${stake.label} — ${measure.label}`,
        stakeId: stake.id,
      })),
    );
  }

  async qpvs(user: AuthUser) {
    return (await this.referential.qpvs(user, this.wholeList())).items;
  }

  async partners(user: AuthUser) {
    return (await this.referential.partners(user, this.wholeList())).items;
  }

  async financers(user: AuthUser) {
    return (await this.referential.partners(user, this.wholeList())).items.filter(
      (partner) => partner.isFinancer,
    );
  }

  /** The task list of a dossier being written, each section's state from the checks. */
  tasks(dossier: ApplicationDto) {
    const base = `/dossiers/${dossier.id}`;
    const tasks = SECTIONS.map((section) => {
      const state = sectionState(section.key, dossier, dossier.checks);
      return {
        title: section.title,
        href: `${base}/${section.key}`,
        state,
        statusText: TASK_STATE_TEXT[state],
      };
    });
    return [
      ...tasks,
      { title: 'Vérifier et déposer', href: `${base}/verifier`, state: 'TODO', statusText: 'À faire' },
    ];
  }
}
