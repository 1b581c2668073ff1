import argon2 from 'argon2';
import PQueue from 'p-queue';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Password hashing, capped: argon2id takes 64 MiB and a core for a few hundred milliseconds, so at most
 * `PASSWORD_HASH_CONCURRENCY` hashes run at once and the others wait their turn instead of taking the
 * machine's memory and libuv's threads (the uploads' file system calls share them). The queue (p-queue, a
 * well-kept one, rather than our own) has priorities: the verification of an account under attack (several
 * failed sign-ins this hour) waits behind everyone else's, so that a flood of wrong passwords delays its
 * own attempts, not a real user's sign-in.
 */
let hashing = new PQueue({ concurrency: Math.max(1, availableParallelism()) });

/** Sets how many hashes run at once (from the configuration, at start-up). */
export function capPasswordHashing(concurrency: number): void {
  hashing = new PQueue({ concurrency });
}

/** The queue's priorities: an ordinary verification or hash, and one for an account under attack. */
export const HASH_PRIORITY = { normal: 1, suspect: 0 } as const;

let computed = 0;

/** How many hashes and verifications this process has computed (a figure for the logs and the tests). */
export function passwordHashesComputed(): number {
  return computed;
}

/** argon2id with the library's defaults (m=64 MiB, t=3, p=4). */
export function hashPassword(password: string): Promise<string> {
  return hashing.add(
    () => {
      computed += 1;
      return argon2.hash(password, { type: argon2.argon2id });
    },
    { priority: HASH_PRIORITY.normal },
  );
}

/** The last verifications' durations (queue included), in milliseconds: what an unknown e-mail waits. */
const recentVerifications: number[] = [];
const RECENT = 32;

export async function verifyPassword(
  hash: string,
  password: string,
  priority: number = HASH_PRIORITY.normal,
): Promise<boolean> {
  const start = performance.now();
  const valid = await hashing.add(
    () => {
      computed += 1;
      return argon2.verify(hash, password).catch(() => false);
    },
    { priority },
  );
  recentVerifications.push(performance.now() - start);
  if (recentVerifications.length > RECENT) recentVerifications.shift();
  return valid;
}

/**
 * What a sign-in with an unknown (or disabled) e-mail does instead of verifying a password: it waits as long
 * as a verification lasts now (the median of the last ones, queue included), so that the answer's timing does
 * not tell whether the address has an account, without computing a hash. A flood of unknown e-mails thus
 * costs no CPU and does not queue before real users' verifications. Until a verification has been timed,
 * one is made against a hash of a dummy password.
 */
export async function waitAsVerification(password: string): Promise<void> {
  if (recentVerifications.length === 0) {
    await verifyPassword(await dummyPasswordHash(), password);
    return;
  }
  const sorted = [...recentVerifications].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  // A few milliseconds of jitter either way, as the verifications themselves vary.
  await sleep(Math.max(0, median * (0.9 + Math.random() * 0.2)));
}

let dummyHash: Promise<string> | undefined;
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('dummy password for timing equalisation');
  return dummyHash;
}
