import { defineStrings } from './define';

// The `griddesk` command line's own words: what to run next after a refusal (下一步), and the
// lines it prints about the station's data. Command names and options stay English in both.
export const cliStrings = defineStrings(
  {
    'cli.next': '下一步：{hint}',
    'cli.hint.periodNoBooks':
      '先建抄表本并把表计放进去：griddesk books create --name 名称 --day 抄表日 [--reader 工号]，再 griddesk books add 本号 --unassigned（或列出户号）；griddesk books unassigned 列出还没有进本的表计',
    'cli.hint.periodCannotClose':
      'griddesk review list --period {period} 列出待复核的读数（review accept / correct / estimate / reject 处理）；griddesk readings list --period {period} 列出未录入的表计，readings import 补录',
    'cli.hint.mustChange': '请该员工先改密码：griddesk password --staff 工号 --current 旧密码 --new 新密码',
    'cli.hint.forbidden': '用有此权限的员工身份执行：--staff 工号（griddesk staff list 查看各人的角色）',
    'cli.hint.staffNeeded': '加上 --staff 工号 指定由哪位员工办理',
    'cli.hint.notSetUp': '先建立供电所：griddesk init --station 代码 --name 名称 --admin 工号 --password 密码',
    'cli.hint.billProblems': 'griddesk billing exceptions --period {period} 列出每户原因；改正客户档案或电价后再运行 griddesk bill --period {period}',
    'cli.hint.billFlagged': '逐张复核：griddesk bills show 账单号，然后 griddesk bills review 账单号 --note 说明（或 bills void 作废重算），再 griddesk bills issue --period {period}',
    'cli.hint.waiting': 'griddesk review list --period {period} 列出待复核的读数',
    'cli.bill.problem': '  无法核算：{account} {name}（{book}）— {code}：{detail}',
    'cli.bill.flagged': '  待复核：{billNo} {account} {name} {flags}',
    'cli.noStaff': '--staff {staffNo}：没有这个在职员工工号（griddesk staff list 查看）',
    'cli.noBook': '--book {book}：没有这个抄表本（griddesk books list 查看）',
    'cli.noBookArg': '{book}：没有这个抄表本（griddesk books list 查看）',
    'cli.noReading': '{period} 期没有找到 {what} 的读数（griddesk review list --period {period} 列出待复核的读数）',
    'cli.manyReadings': '{what} 在 {period} 期对应多块表：请给出表号',
    'cli.noPoint': '{what}：没有这个户号或表号的在装表计',
    'balance.asOfPast': '{date} 早于今天（{today}）：只能查询今天或以后某天的应缴金额',
    'balance.payFuture': '收费日期 {date} 晚于今天（{today}）：不能预先记账',
    'balance.backdateNeedsHead': '按 {date} 补录收费须经所长批准：所长本人操作（--staff 所长工号），或加 --approver 所长工号 --approver-password 密码',
    'cli.pfLine': '功率因数 {factor}（标准 {standard}），调整 {percent}%',
  },
  {
    'cli.next': 'Next: {hint}',
    'cli.hint.periodNoBooks':
      'create a reading book and put meters in it: griddesk books create --name NAME --day DAY [--reader STAFF_NO], then griddesk books add BOOK_NO --unassigned (or list account numbers); griddesk books unassigned lists meters in no book',
    'cli.hint.periodCannotClose':
      'griddesk review list --period {period} lists the readings to review (review accept / correct / estimate / reject); griddesk readings list --period {period} shows meters not entered yet, readings import adds them',
    'cli.hint.mustChange': 'that staff member must change their password first: griddesk password --staff NO --current OLD --new NEW',
    'cli.hint.forbidden': 'act as a staff member who has this permission: --staff NO (griddesk staff list shows everyone\'s roles)',
    'cli.hint.staffNeeded': 'name the staff member doing it with --staff NO',
    'cli.hint.notSetUp': 'set the station up first: griddesk init --station CODE --name NAME --admin NO --password PASSWORD',
    'cli.hint.billProblems': 'griddesk billing exceptions --period {period} lists each customer\'s reason; fix the customer file or the tariff, then run griddesk bill --period {period} again',
    'cli.hint.billFlagged': 'review each one: griddesk bills show BILL_NO, then griddesk bills review BILL_NO --note TEXT (or bills void to bill again), then griddesk bills issue --period {period}',
    'cli.hint.waiting': 'griddesk review list --period {period} lists the readings to review',
    'cli.bill.problem': '  not billed: {account} {name} ({book}) — {code}: {detail}',
    'cli.bill.flagged': '  to review: {billNo} {account} {name} {flags}',
    'cli.noStaff': '--staff {staffNo}: no active staff member with that number (griddesk staff list shows them)',
    'cli.noBook': '--book {book}: no such reading book (griddesk books list shows them)',
    'cli.noBookArg': '{book}: no such reading book (griddesk books list shows them)',
    'cli.noReading': 'no reading of {what} in {period} (griddesk review list --period {period} lists the readings to review)',
    'cli.manyReadings': '{what} has several meters in {period}: give the meter number',
    'cli.noPoint': '{what}: no installed meter with that account or meter number',
    'balance.asOfPast': '{date} is before today ({today}): a balance can be quoted for today or a later day',
    'balance.payFuture': 'Payment date {date} is after today ({today}): a payment cannot be dated ahead',
    'balance.backdateNeedsHead': 'A payment dated {date} needs the station head\'s approval: the station head does it (--staff HEAD_NO), or add --approver HEAD_NO --approver-password P',
    'cli.pfLine': 'power factor {factor} (standard {standard}), adjustment {percent}%',
  },
);
