// Figures refused by the shared money and time rules, and why a backup file is refused, (金额、数量、账期): a figure that is not exact
// (shared/money.ts `MONEY_REASONS`) or a period that is not YYYY-MM (shared/time.ts). Reached when
// a typed or imported figure gets past the screen's own check; the clerk reads it in the app's
// language instead of an internal error.
import { defineStrings } from './define';

export const figuresStrings = defineStrings(
  {
    'money.notWholeFen': '{what}必须是整数分，不能是 {value}',
    'money.notDecimal': '{what}“{text}”不是数字：请写成 12.34 这样的小数',
    'money.tooManyPlaces': '{what}“{text}”的小数超过 {places} 位',
    'money.divisionByZero': '计算时除数为零',
    'money.what.amount': '金额',
    'money.what.price': '单价',
    'money.what.quantity': '数量',
    'money.what.factor': '倍数',
    'money.what.reading': '读数',
    'money.what.total': '合计',
    'money.what.value': '数值',
    'time.badPeriod': '“{value}”不是账期：请写成 YYYY-MM，如 2026-12',
    'backupFile.notFound': '文件不存在',
    'backupFile.notSqlite': '不是 SQLite 数据库文件',
    'backupFile.notGridDesk': '不是本程序的数据库',
    'backupFile.newer': '由更新版本的程序生成（数据版本 {version}，本程序最高 {latest}）',
    'backupFile.damaged': '完整性检查未通过（{detail}）',
    'backupFile.unreadable': '文件无法读取',
  },
  {
    'money.notWholeFen': '{what} must be a whole number of fen, not {value}',
    'money.notDecimal': '{what} "{text}" is not a number: write a decimal such as 12.34',
    'money.tooManyPlaces': '{what} "{text}" has more than {places} decimal places',
    'money.divisionByZero': 'a calculation divided by zero',
    'money.what.amount': 'The amount',
    'money.what.price': 'The price',
    'money.what.quantity': 'The quantity',
    'money.what.factor': 'The factor',
    'money.what.reading': 'The reading',
    'money.what.total': 'The total',
    'money.what.value': 'The value',
    'time.badPeriod': '"{value}" is not a period: write YYYY-MM, e.g. 2026-12',
    'backupFile.notFound': 'file not found',
    'backupFile.notSqlite': 'not an SQLite database',
    'backupFile.notGridDesk': 'not a GridDesk database',
    'backupFile.newer': 'made by a newer GridDesk (version {version} > {latest})',
    'backupFile.damaged': 'the integrity check failed ({detail})',
    'backupFile.unreadable': 'the file cannot be read',
  },
);
