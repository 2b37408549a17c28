// Where a meter due in a period stands (抄表状态), from its reading in force and the latest review
// decision. The entry grid, the overview, closing a period and billing all read the same words.
import type { ReviewDecision } from './flags';

/** 实抄 actual, 估抄 estimated, 未抄到 no access. */
export const READING_KINDS = ['actual', 'estimated', 'no_access'] as const;
export type ReadingKind = (typeof READING_KINDS)[number];

export const READING_STATUSES = [
  'not_entered', // nothing entered yet
  'clean', // entered, no warning
  'awaiting_review', // warnings, no review decision yet
  'accepted', // warnings accepted by a reviewer: billable
  'site_visit', // sent for a site visit (现场核查): kept out of billing until accepted or corrected
  'to_correct', // the reviewer asked for a correction that has not been entered yet
  'no_access', // 未抄到, with a reason: nothing to bill this period
] as const;
export type ReadingStatus = (typeof READING_STATUSES)[number];

export function readingStatus(
  reading: { kind: ReadingKind; needsReview: boolean } | null,
  latestDecision: ReviewDecision | null,
): ReadingStatus {
  if (!reading) return 'not_entered';
  if (reading.kind === 'no_access') return 'no_access';
  if (!reading.needsReview) return 'clean';
  switch (latestDecision) {
    case null:
      return 'awaiting_review';
    case 'accept':
      return 'accepted';
    case 'site_visit':
      return 'site_visit';
    case 'correct':
      return 'to_correct';
  }
}

/**
 * A period closes when every book is complete and reviewed: every meter has a reading or a
 * no-access mark, every warning has a decision, and no asked-for correction is still owed. A
 * site visit is a decision: the reading stays out of billing until the visit settles it by an
 * acceptance or a correction, which a closed period still takes.
 */
export function blocksClosing(status: ReadingStatus): boolean {
  return status === 'not_entered' || status === 'awaiting_review' || status === 'to_correct';
}

/** 抄表差错率 in basis points (0.20 % = 20): readings later corrected ÷ readings entered. */
export function errorRateBasisPoints(corrected: number, entered: number): number | null {
  if (entered <= 0) return null;
  return Math.round((corrected * 10000) / entered);
}
