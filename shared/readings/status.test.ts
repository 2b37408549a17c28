import { describe, expect, it } from 'vitest';
import type { ReviewDecision } from './flags';
import { blocksClosing, errorRateBasisPoints, readingStatus, type ReadingKind, type ReadingStatus } from './status';

describe('reading status (抄表状态)', () => {
  it.each<[string, { kind: ReadingKind; needsReview: boolean } | null, ReviewDecision | null, ReadingStatus, boolean]>([
    // [case, reading in force, latest decision, status, blocks closing]
    ['a meter not read yet', null, null, 'not_entered', true],
    ['a clean actual reading', { kind: 'actual', needsReview: false }, null, 'clean', false],
    ['a clean estimate (估抄)', { kind: 'estimated', needsReview: false }, null, 'clean', false],
    ['a spike nobody has looked at', { kind: 'actual', needsReview: true }, null, 'awaiting_review', true],
    ['a spike the billing clerk accepted', { kind: 'actual', needsReview: true }, 'accept', 'accepted', false],
    ['a zero run sent for a site visit', { kind: 'actual', needsReview: true }, 'site_visit', 'site_visit', false],
    ['a reading sent back for a correction not yet entered', { kind: 'actual', needsReview: true }, 'correct', 'to_correct', true],
    ['a locked gate (未抄到)', { kind: 'no_access', needsReview: false }, null, 'no_access', false],
  ])('%s', (_case, reading, decision, status, blocks) => {
    expect(readingStatus(reading, decision)).toBe(status);
    expect(blocksClosing(status)).toBe(blocks);
  });

  it('gives the reading error rate: 2 corrected in 1,000 entered is 0.20 %', () => {
    expect(errorRateBasisPoints(2, 1000)).toBe(20);
    expect(errorRateBasisPoints(1, 3)).toBe(3333);
    expect(errorRateBasisPoints(0, 0)).toBeNull();
  });
});
