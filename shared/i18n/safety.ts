import { defineStrings } from './define';

// The station file's safety: restore under an exclusive hold, a file replaced underneath,
// verified backups, and the disk's own failures (full, read-only, failing). Each message says
// what happened and what the office should do.
export const safetyStrings = defineStrings(
  {
    'restore.held':
      '现在不能恢复：数据库 {file} 正被其他程序使用：{holders}。请先关闭这些程序（桌面程序、浏览器模式的 griddesk serve、正在运行的命令），再恢复。',
    'restore.jobRunning': '现在不能恢复：后台任务（{jobs}）还在运行。请等它完成后再恢复。',
    'restore.otherStation':
      '备份 {file} 属于另一个供电所（{backupStation}），当前数据库是 {liveStation}。恢复它会用另一个所的数据替换本所的全部客户和收费记录。确实要这样做，请在命令中加 --replace-station，或在恢复界面确认。',
    'restore.otherStationConfirm':
      '备份 {file} 属于另一个供电所：{backupStation}。\n当前数据库是：{liveStation}。\n恢复后本所（{liveStation}）的全部数据会被替换（当前数据会先自动备份）。确定要恢复吗？',
    'storage.replaced':
      '数据库文件 {file} 已被替换（例如被另一个程序恢复了备份）。为了不把收费记到已删除的旧文件里，本程序已停止保存。请关闭 GridDesk 后重新打开。',
    'storage.readonly': '数据库 {file} 是只读的（只读的 U 盘、光盘或只读文件），不能保存。只能检查或从中恢复；要继续使用，请复制到本机可写的文件夹。',
    'storage.readonlyOld':
      '数据库 {file} 在只读位置，且是旧版本（数据库版本 {found}，本程序为 {supported}），无法就地升级。请先复制到本机可写的文件夹，再打开或检查。',
    'storage.full': '磁盘已满，数据库 {file} 无法打开或写入，本次操作没有保存。请清理磁盘空间（删除不需要的文件）后重试。',
    'storage.ioError': '读写数据库 {file} 时磁盘出错（{detail}）。请检查磁盘或 U 盘是否已拔出、是否已满；问题持续时请从最近的备份恢复。',
    'storage.cantOpen': '无法打开数据库 {file}（{detail}）。请检查文件和所在文件夹是否存在、是否可访问。',
    'storage.busy': '数据库 {file} 正被另一个程序独占（例如正在恢复备份）。请稍候再试。',
    'backup.failedCheck':
      '备份未通过完整性检查，说明当前数据库 {db} 已有损坏（{detail}）。这份副本已另存为 {file}，不算作备份。请立即告知管理员或所长：从最近一份完好的备份恢复，并检查磁盘。',
    'backup.failedList': '未通过检查的副本',
    'backup.damaged':
      '当前数据库已损坏：{time} 的备份未通过完整性检查（副本另存为 {file}）。请不要继续收费，尽快从最近一份完好的备份（{lastGood}）恢复，并检查这台电脑的磁盘。',
    'backup.noGood': '没有完好的备份',
    'backup.noFolder': '文件夹 {dir} 不存在（U 盘是否已插好？），备份没有写出。',
  },
  {
    'restore.held':
      'Cannot restore now: the database {file} is in use by other programs: {holders}. Close them first (the desktop app, griddesk serve in browser mode, any command still running), then restore.',
    'restore.jobRunning': 'Cannot restore now: background jobs ({jobs}) are still running. Wait until they finish, then restore.',
    'restore.otherStation':
      'The backup {file} belongs to another station ({backupStation}); this database is {liveStation}. Restoring it would replace all of this station\'s customers and payments with the other station\'s. If that is really wanted, add --replace-station to the command, or confirm on the restore screen.',
    'restore.otherStationConfirm':
      'The backup {file} belongs to another station: {backupStation}.\nThis database is: {liveStation}.\nAll data of {liveStation} will be replaced (it is backed up first). Restore it anyway?',
    'storage.replaced':
      'The database file {file} was replaced (for example, another program restored a backup). So that no payment goes into the old, deleted file, this program has stopped saving. Close GridDesk and open it again.',
    'storage.readonly': 'The database {file} is read-only (a read-only USB stick or disc, or a read-only file): nothing can be saved. It can be checked or restored from; to work in it, copy it to a writable folder on this PC.',
    'storage.readonlyOld':
      'The database {file} is on read-only media and from an older version (database version {found}; this program: {supported}), so it cannot be upgraded in place. Copy it to a writable folder on this PC first, then open or check it.',
    'storage.full': 'The disk is full: the database {file} cannot be opened or written, and this action was not saved. Free some disk space (delete files you do not need) and try again.',
    'storage.ioError': 'The disk failed while reading or writing the database {file} ({detail}). Check that the disk or USB stick is still plugged in and not full; if it goes on, restore the latest backup.',
    'storage.cantOpen': 'Cannot open the database {file} ({detail}). Check that the file and its folder exist and can be accessed.',
    'storage.busy': 'The database {file} is held exclusively by another program (a restore, for example). Try again in a moment.',
    'backup.failedCheck':
      'The backup failed its integrity check, so the live database {db} is damaged ({detail}). The copy was kept apart as {file} and does not count as a backup. Tell the administrator or the station head now: restore the latest good backup and have the disk checked.',
    'backup.failedList': 'Copies that failed their check',
    'backup.damaged':
      'The live database is damaged: the backup of {time} failed its integrity check (copy kept as {file}). Stop taking payments and restore the latest good backup ({lastGood}) as soon as possible; have this PC\'s disk checked.',
    'backup.noGood': 'no good backup',
    'backup.noFolder': 'The folder {dir} does not exist (is the USB stick plugged in?); no backup was written.',
  },
);
