// Problems in a head-office reference file (总部参考文件: 电价文件, 考核方案), as coded messages.
//
// zod carries an issue's message as text, so our checks write a coded message there as its JSON
// (`issue(...)`) and `clerkIssues` does the same for zod's own checks; `issueMessage` reads it
// back. Nothing here builds a sentence: the screen, the CLI and the head-office server render a
// problem in their reader's language (shared/i18n/files.ts).
import { z } from 'zod';
import { coded, codedList, readStoredMessage, storeMessage, type CodedMessage, type CodedParam } from './i18n/coded';
import type { MessageKey } from './i18n';

/** Every message of the reference-file checks: `file.<code>` in the dictionary. */
export const FILE_MESSAGES = [
  'problem.at', 'problem.atField', 'notJson', 'notJsonAnywhere',
  'issue.missing', 'issue.quoted', 'issue.wrongKind', 'issue.missingOneOf', 'issue.oneOf', 'issue.unknownField', 'issue.unknownFields',
  'issue.exactCount', 'issue.atLeastOneEntry', 'issue.atLeastEntries', 'issue.atMostValues', 'issue.notEmpty', 'issue.moreThan', 'issue.atLeast',
  'issue.lessThan', 'issue.atMost', 'issue.atMostChars', 'issue.notMultiple', 'issue.badFormat', 'issue.invalid',
  'kind.string', 'kind.number', 'kind.int', 'kind.list', 'kind.object', 'kind.boolean', 'kind.other',
  'where.entry', 'where.tariff', 'where.tariffCode', 'where.tariffCodeFrom', 'where.theTariff', 'where.oneTariffCode', 'where.oneTariffCodeFrom',
  'where.policy', 'where.policyEntry', 'where.sheet', 'where.sheetNumber', 'where.sheetVersion', 'where.area', 'where.areaNumber', 'where.item',
  'where.itemNumber',
  'tariff.pricePlaces', 'tariff.priceNotDecimal', 'tariff.priceNegative', 'tariff.noPrice', 'tariff.touNeedsPeakValley', 'tariff.notMonth',
  'tariff.notBound', 'tariff.boundsOrder', 'tariff.incrementsOrPrices', 'tariff.samePeriods', 'tariff.multiAllOrNone', 'tariff.annualOneEntry',
  'tariff.yearStartAnnualOnly', 'tariff.monthlyNeedsMonths', 'tariff.monthTwice', 'tariff.monthMissing', 'tariff.monthsMissing', 'tariff.notDate',
  'tariff.energyMissing', 'tariff.energyWithTierPrices', 'tariff.capacityOrDemand', 'tariff.unknownBeside', 'tariff.unknownBesideMany',
  'tariff.notList', 'tariff.fileShape', 'tariff.noTariffs', 'tariff.duplicate', 'tariff.conflict', 'tariff.creditShrinks', 'tariff.bandNotBelow',
  'policy.ratioAboveOne', 'policy.ratioNotDecimal', 'policy.duplicate', 'policy.conflict',
  'sheet.badCode', 'sheet.badFrom', 'sheet.idTwice', 'sheet.unknownKpi', 'sheet.floorIsTarget', 'sheet.capOverPoints', 'sheet.minAboveMax',
  'sheet.maxOverPoints', 'sheet.minBelowZero', 'sheet.defaultOutside', 'sheet.stepMaxNotAbove', 'sheet.stepScoreOver', 'sheet.stepsOverlap',
  'sheet.noUpperEnd', 'sheet.roleTotal', 'sheet.noSheet', 'sheet.twice', 'sheet.conflict',
] as const;
export type FileMessage = (typeof FILE_MESSAGES)[number];
export type FileMessageKey = `file.${FileMessage}`;
// A listed code without a dictionary entry fails the type check here.
const _everyCodeIsAKey: FileMessageKey extends MessageKey ? true : never = true;
void _everyCodeIsAKey;

type Params = Readonly<Record<string, CodedParam>>;

/** A reference-file message: `fileMessage('tariff.notMonth', { value: 13 })`. */
export function fileMessage(code: FileMessage, params?: Params): CodedMessage {
  return coded(`file.${code}`, params);
}

/** A coded message as a zod issue's message text (read back by `issueMessage`). */
export function issue(code: FileMessage, params?: Params): string {
  return storeMessage(fileMessage(code, params));
}

/** A custom zod check's message: `refine(fn, issueOf('tariff.notDate'))`. */
export const issueOf = (code: FileMessage, params?: Params) => ({ message: issue(code, params) });

/** An issue's message as a coded message; a message that is not ours (none is expected) becomes "is not valid". */
export function issueMessage(item: { message: string }): CodedMessage {
  return readStoredMessage(item.message) ?? fileMessage('issue.invalid');
}

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

function kindWord(expected: string): CodedMessage {
  switch (expected) {
    case 'string':
    case 'number':
    case 'int':
    case 'object':
    case 'boolean':
      return fileMessage(`kind.${expected}`);
    case 'array':
    case 'tuple':
      return fileMessage('kind.list');
    default:
      return fileMessage('kind.other', { kind: expected });
  }
}

function isTuple(schema: unknown): boolean {
  return schema instanceof z.ZodTuple;
}

/** zod's own checks, worded for whoever prepares the file (coded; our own checks carry theirs). */
export const clerkIssues: z.core.$ZodErrorMap = (item) => {
  switch (item.code) {
    case 'invalid_type':
      if (item.input === undefined) return issue('issue.missing');
      if (item.expected === 'string' && typeof item.input === 'number') return issue('issue.quoted', { value: String(item.input) });
      return issue('issue.wrongKind', { kind: kindWord(item.expected), value: show(item.input) });
    case 'invalid_value': {
      const values = item.values.map((v) => show(v)).join(', ');
      if (item.input === undefined) return issue('issue.missingOneOf', { values });
      return issue('issue.oneOf', { values, value: show(item.input) });
    }
    case 'invalid_union': {
      // a discriminated union (a scoring's kind, a pay rule's method) given an unknown tag
      const { options, discriminator } = item as { options?: unknown[]; discriminator?: string };
      if (!options?.length || !discriminator) return issue('issue.invalid');
      const values = options.map((v) => show(v)).join(', ');
      const given = typeof item.input === 'object' && item.input !== null ? (item.input as Record<string, unknown>)[discriminator] : undefined;
      return given === undefined ? issue('issue.missingOneOf', { values }) : issue('issue.oneOf', { values, value: show(given) });
    }
    case 'unrecognized_keys':
      return issue(item.keys.length > 1 ? 'issue.unknownFields' : 'issue.unknownField', { fields: item.keys.map((k) => `"${k}"`).join(', ') });
    case 'too_small': {
      const n = Number(item.minimum);
      if (isTuple(item.inst)) return issue('issue.exactCount', { n });
      if (item.origin === 'array') return item.exact ? issue('issue.exactCount', { n }) : n === 1 ? issue('issue.atLeastOneEntry') : issue('issue.atLeastEntries', { n });
      if (item.origin === 'string') return issue('issue.notEmpty');
      return item.inclusive === false ? issue('issue.moreThan', { n }) : issue('issue.atLeast', { n });
    }
    case 'too_big': {
      const n = Number(item.maximum);
      if (isTuple(item.inst)) return issue('issue.exactCount', { n });
      if (item.origin === 'array') return item.exact ? issue('issue.exactCount', { n }) : issue('issue.atMostValues', { n });
      if (item.origin === 'string') return issue('issue.atMostChars', { n });
      return item.inclusive === false ? issue('issue.lessThan', { n }) : issue('issue.atMost', { n });
    }
    case 'not_multiple_of':
      return issue('issue.notMultiple', { n: Number(item.divisor) });
    case 'invalid_format':
      return issue('issue.badFormat');
    default:
      return issue('issue.invalid');
  }
};

/** A problem at a place: "Tariff #2 AGR, name: is missing". `field` may be empty (the whole thing). */
export function problemAt(where: CodedParam, field: CodedParam | '', what: CodedMessage): CodedMessage {
  return field === '' ? fileMessage('problem.at', { where, what }) : fileMessage('problem.atField', { where, field, what });
}

/** ['tiers', 'bounds', 1, 'months'] → "tiers.bounds, entry 2, months" (entries counted from 1). */
export function fieldPlace(path: readonly PropertyKey[]): CodedParam | '' {
  const parts: CodedParam[] = [];
  let run: string[] = [];
  for (const key of path) {
    if (typeof key === 'number') {
      if (run.length) parts.push(run.join('.'));
      run = [];
      parts.push(fileMessage('where.entry', { n: key + 1 }));
    } else {
      run.push(String(key));
    }
  }
  if (run.length) parts.push(run.join('.'));
  if (parts.length === 0) return '';
  return parts.length === 1 && typeof parts[0] === 'string' ? parts[0] : codedList('path', parts);
}

/** What JSON.parse said, as a place in the file (line and column) rather than V8's English. */
export function notJson(error: unknown, text: string): CodedMessage {
  const said = error instanceof Error ? error.message : '';
  const lineColumn = /line (\d+) column (\d+)/.exec(said);
  if (lineColumn) return fileMessage('notJson', { line: Number(lineColumn[1]), column: Number(lineColumn[2]) });
  const position = /position (\d+)/.exec(said);
  const at = position ? Number(position[1]) : /end of JSON input/.test(said) ? text.length : null;
  if (at === null) return fileMessage('notJsonAnywhere');
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  return fileMessage('notJson', { line, column });
}

export type { CodedMessage };
