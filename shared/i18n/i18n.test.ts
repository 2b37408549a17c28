import { describe, expect, it } from 'vitest';
import { DESK_STRINGS, translate } from './index';

describe('the UI dictionary', () => {
  it('has no key defined by two desks (a merge would let the later one win silently)', () => {
    const owners = new Map<string, string[]>();
    for (const [desk, strings] of Object.entries(DESK_STRINGS)) {
      for (const key of Object.keys(strings.zh)) owners.set(key, [...(owners.get(key) ?? []), desk]);
    }
    expect([...owners].filter(([, desks]) => desks.length > 1)).toEqual([]);
  });

  it('gives every string the same placeholders in Chinese and English', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const mismatched: string[] = [];
    for (const strings of Object.values(DESK_STRINGS)) {
      const en = strings.en as Record<string, string>;
      for (const [key, zh] of Object.entries(strings.zh as Record<string, string>)) {
        if (JSON.stringify(placeholders(zh)) !== JSON.stringify(placeholders(en[key] ?? ''))) mismatched.push(key);
      }
    }
    expect(mismatched).toEqual([]);
  });

  it('names the billing notice and the disconnection notice apart', () => {
    expect(translate('zh-CN', 'notice.title')).toBe('电费通知单');
    expect(translate('zh-CN', 'disconnection.title')).toBe('停电通知书');
  });
});
