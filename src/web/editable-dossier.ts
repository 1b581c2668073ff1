import type { Response } from 'express';
import { EDITABLE_STATUSES } from '../modules/applications/application-status.js';
import type { ApplicationDto } from '../modules/applications/dto/application.dto.js';
import type { DossierViewService } from './dossier-view.service.js';
import { redirectWithFlash, type PageRequest } from './pages.js';

/**
 * A dossier still being written, for a section's page; a submitted one sends the person back to its page,
 * which says why (undefined: the answer is gone).
 */
export async function editableDossier(
  view: DossierViewService,
  request: PageRequest,
  response: Response,
  id: string,
): Promise<ApplicationDto | undefined> {
  const dossier = await view.dossier(request.user!, id);
  if (EDITABLE_STATUSES.includes(dossier.status)) return dossier;
  redirectWithFlash(
    request,
    response,
    `/dossiers/${id}`,
    'Ce dossier est déposé : il ne peut plus être modifié.',
  );
  return undefined;
}
