import { defineStrings } from './define';

// Words of the screens' shared parts (issue 16, "front line"): the confirmation dialog, the page
// for an unknown address, the shortcut list.
export const frontStrings = defineStrings(
  {
    'front.confirm.keys': 'Tab 或 → 移到确认按钮再按 Enter 确认；Esc 取消。',
  },
  {
    'front.confirm.keys': 'Tab or → to the confirm button, then Enter; Esc cancels.',
  },
);
