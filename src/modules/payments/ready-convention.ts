import type { EntityManager } from 'typeorm';
import { conflict, notFound } from '../../common/application-error.js';
import { ConventionEntity } from '../conventions/convention.entity.js';
import './payments.errors.js'; // registers the codes thrown here

/**
 * The application's convention, locked for the transaction, once its PDF is ready (what is signed, and
 * whose signed copy is filed); `notReady` says what waits for it.
 */
export async function lockReadyConvention(
  em: EntityManager,
  applicationId: string,
  notReady: string,
): Promise<ConventionEntity> {
  const convention = await em
    .getRepository(ConventionEntity)
    .findOne({ where: { applicationId }, lock: { mode: 'pessimistic_write' } });
  if (!convention) throw notFound('Convention');
  if (convention.status !== 'READY')
    throw conflict('CONVENTION_NOT_READY', `La convention est en cours de préparation : ${notReady}`);
  return convention;
}
