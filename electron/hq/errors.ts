// Head office's refusals: a stable code (what programs and the station's screen key off) and a
// message in Chinese and English that says what is wrong and what to do.

export type HqLocale = 'zh-CN' | 'en';

const MESSAGES: Record<string, { 'zh-CN': string; en: string }> = {
  not_sync_file: { 'zh-CN': '不是 GridDesk 同步文件', en: 'not a GridDesk sync file' },
  truncated: { 'zh-CN': '文件不完整（被截断）', en: 'the file is truncated' },
  too_large: { 'zh-CN': '文件超过大小上限', en: 'the file is over the size limit' },
  format: { 'zh-CN': '文件格式版本不支持', en: 'a file format version this program does not read' },
  manifest: { 'zh-CN': '文件清单无效', en: 'the file manifest is invalid' },
  unknown_key: { 'zh-CN': '签名密钥不是该供电所登记的密钥', en: 'signed by a key not registered for this station' },
  signature: { 'zh-CN': '签名校验失败（文件被改动）', en: 'signature does not verify (the file was changed)' },
  payload_hash: { 'zh-CN': '数据校验和不符（文件被改动）', en: 'payload hash does not match (the file was changed)' },
  payload_size: { 'zh-CN': '数据解压后超过声明大小（拒收）', en: 'payload inflates past its declared size (refused)' },
  row: { 'zh-CN': '数据行格式错误', en: 'a payload line is not a JSON object' },
  row_count: { 'zh-CN': '数据行数与清单不符', en: 'row count differs from the manifest' },
  kind: { 'zh-CN': '文件类型不对（应为上报批次）', en: 'wrong kind of file (a batch was expected)' },
  unknown_station: { 'zh-CN': '未登记的供电所：请先用登记文件登记', en: 'unknown station: enrol it first from its enrolment file' },
  revoked_key: { 'zh-CN': '该密钥已停用（供电所已重装或换钥），请用新密钥重新导出', en: 'this key is no longer accepted (the station was restored or rotated its key): export again with the new key' },
  old_epoch: { 'zh-CN': '批次属于旧的纪元，已不再接收', en: 'the batch belongs to an earlier epoch and is no longer accepted' },
  schema_future: { 'zh-CN': '供电所数据版本比总部新：请先升级总部程序', en: 'the station schema is newer than head office knows: upgrade head office first' },
  wrong_station: { 'zh-CN': '文件的供电所与所选供电所不符', en: 'the file belongs to another station than the one chosen' },
  station_mismatch: { 'zh-CN': '文件中的供电所编码与登记不符', en: 'the station code in the file differs from the registered one' },
  bad_range: { 'zh-CN': '批次序号范围无效', en: 'the batch seq range is invalid' },
  equivocation: { 'zh-CN': '同一序号范围的内容与已收批次不同（已标记）', en: 'same seq range with different content than a batch already received (flagged)' },
  overlap: { 'zh-CN': '批次与已入账的范围部分重叠', en: 'the batch partly overlaps a range already applied' },
  chain: { 'zh-CN': '批次的前序哈希与总部记录不符', en: 'previous-batch hash does not match head office records' },
  already_enrolled: { 'zh-CN': '该供电所已登记', en: 'the station is already enrolled' },
  code_taken: { 'zh-CN': '供电所编码已被另一个供电所使用', en: 'the station code is taken by another station' },
  not_found: { 'zh-CN': '找不到该供电所', en: 'no such station' },
  not_logged_in: { 'zh-CN': '请先登录', en: 'please log in' },
  forbidden: { 'zh-CN': '无此权限', en: 'not allowed for your role' },
  bad_login: { 'zh-CN': '账号或密码错误', en: 'wrong login or password' },
  locked: { 'zh-CN': '账号已锁定，请稍后再试', en: 'account locked, try again later' },
  invalid_input: { 'zh-CN': '输入有误', en: 'invalid input' },
  reference_item: { 'zh-CN': '基础数据文件有误', en: 'the reference data file is invalid' },
  internal: { 'zh-CN': '内部错误', en: 'internal error' },
};

export class HqError extends Error {
  override name = 'HqError';
  constructor(
    readonly code: string,
    readonly detail = '',
    readonly status = 422,
  ) {
    super(`${MESSAGES[code]?.en ?? code}${detail ? `: ${detail}` : ''}`);
  }

  messageIn(locale: HqLocale): string {
    const base = MESSAGES[this.code]?.[locale] ?? this.code;
    return this.detail ? `${base}：${this.detail}`.replace('：', locale === 'en' ? ': ' : '：') : base;
  }
}

export function hqMessage(code: string, locale: HqLocale): string {
  return MESSAGES[code]?.[locale] ?? code;
}
