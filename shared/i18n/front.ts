import { defineStrings } from './define';

// Words of the screens' shared parts (issue 16, "front line"): the confirmation dialog, the page
// for an unknown address, the shortcut list.
export const frontStrings = defineStrings(
  {
    'front.confirm.keys': 'Tab 或 → 移到确认按钮再按 Enter 确认；Esc 取消。',
    'front.notFound.title': '没有这个页面',
    'front.notFound.text': '地址 {path} 不是本系统的页面，可能是旧链接或输入有误。请从左侧菜单进入。',
    'front.backHome': '回到首页',
    'front.routeError.title': '页面出错了',
    'front.routeError.text': '这个页面遇到意外错误，已保存的数据不受影响。请回到首页后重试；若反复出现，请把下面的信息告诉管理员。',
  },
  {
    'front.confirm.keys': 'Tab or → to the confirm button, then Enter; Esc cancels.',
    'front.notFound.title': 'No such page',
    'front.notFound.text': 'The address {path} is not a page of GridDesk: an old link or a typing mistake. Use the menu on the left.',
    'front.backHome': 'Back to the home page',
    'front.routeError.title': 'Something went wrong on this page',
    'front.routeError.text': 'This page met an unexpected error; saved data is not affected. Go back to the home page and try again; if it happens again, tell the administrator what is shown below.',
  },
);
