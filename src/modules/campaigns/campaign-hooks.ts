import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Runs inside the transaction that closes a campaign's programming (so what it writes commits or rolls back
 * with the closing); returns what to do once committed (enqueue jobs), if anything.
 */
export type ProgrammingClosedHook = (
  em: EntityManager,
  campaignId: string,
) => Promise<(() => Promise<unknown>) | undefined>;

/**
 * Where modules above campaigns hook into its lifecycle, as Vendure's process hooks do: closing the
 * programming creates the conventions, without campaigns importing the conventions module.
 */
@Injectable()
export class CampaignHooks {
  private readonly programmingClosed: ProgrammingClosedHook[] = [];

  onProgrammingClosed(hook: ProgrammingClosedHook): void {
    this.programmingClosed.push(hook);
  }

  /** Runs the hooks in the closing transaction; returns their after-commit steps. */
  async closeProgramming(em: EntityManager, campaignId: string): Promise<(() => Promise<unknown>)[]> {
    const afterCommit: (() => Promise<unknown>)[] = [];
    for (const hook of this.programmingClosed) {
      const step = await hook(em, campaignId);
      if (step) afterCommit.push(step);
    }
    return afterCommit;
  }
}
