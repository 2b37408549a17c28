import { z } from 'zod';
import { ROLES } from '../permissions';
import { channel } from './define';
import { homeSummarySchema } from './home';

// Platform channels: station setup, login and sessions, staff administration, the audit log,
// jobs, backups, and the desktop shell's own actions.

export const roleSchema = z.enum(ROLES);
export const staffNoSchema = z.string().trim().regex(/^[A-Za-z0-9]{3,12}$/, { message: 'error.staffNoFormat' });
export const passwordSchema = z.string().min(1).max(200);
const empty = z.object({});
const done = z.object({ done: z.literal(true) });

export const sessionStaffSchema = z.object({
  id: z.string(),
  staffNo: z.string(),
  name: z.string(),
  roles: z.array(roleSchema),
  permissions: z.array(z.string()),
  mustChangePassword: z.boolean(),
});
export type SessionStaff = z.infer<typeof sessionStaffSchema>;

export const staffRowSchema = z.object({
  id: z.string(),
  staffNo: z.string(),
  name: z.string(),
  roles: z.array(roleSchema),
  active: z.boolean(),
  lockedUntil: z.number().nullable(),
  /** While locked: who typed the wrong passwords ("C001 王芳") and where ('login', or the approval's channel). */
  lockedBy: z.string().nullable().optional(),
  lockedVia: z.string().nullable().optional(),
  mustChangePassword: z.boolean(),
  createdAt: z.number(),
});
export type StaffRow = z.infer<typeof staffRowSchema>;

export const jobStateSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(['running', 'succeeded', 'failed']),
  done: z.number(),
  total: z.number(),
  message: z.string().optional(),
  result: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  version: z.number(),
  startedAt: z.number(),
  finishedAt: z.number().optional(),
});
export type JobState = z.infer<typeof jobStateSchema>;
export const jobStartedSchema = z.object({ jobId: z.string() });

export const auditRowSchema = z.object({
  id: z.number(),
  at: z.number(),
  staffId: z.string().nullable(),
  actor: z.string(),
  staffName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()),
});
export type AuditRow = z.infer<typeof auditRowSchema>;

export const backupFileSchema = z.object({
  file: z.string(),
  kind: z.enum(['manual', 'daily', 'premigration', 'prerestore']),
  size: z.number(),
  createdAt: z.number(),
});
export type BackupFile = z.infer<typeof backupFileSchema>;

/** Whether the newest copy of the live file passed its check (a failed one means the live file is damaged). */
export const backupHealthSchema = z.object({
  damaged: z.boolean(),
  failedFile: z.string().optional(),
  failedAt: z.number().optional(),
  lastGood: z.string().optional(),
});
export type BackupHealth = z.infer<typeof backupHealthSchema>;

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const platformChannels = {
  'system.info': channel({
    input: empty,
    output: z.object({
      setUp: z.boolean(),
      station: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
      appVersion: z.string(),
      schemaVersion: z.number(),
      desktop: z.boolean(),
    }),
    access: 'public',
  }),
  /** A no-op that proves the session: the web host's latency benchmark calls it. */
  'system.ping': channel({ input: empty, output: z.object({ at: z.number() }), access: 'session' }),

  'station.setup': channel({
    input: z.object({
      stationCode: z.string().trim().regex(/^[A-Za-z0-9]{4,8}$/, { message: 'setup.stationCodeHint' }),
      stationName: z.string().trim().min(2).max(40),
      adminNo: staffNoSchema,
      adminName: z.string().trim().min(1).max(20),
      password: passwordSchema,
    }),
    output: z.object({ stationId: z.string(), adminId: z.string() }),
    access: 'public',
  }),

  'auth.login': channel({
    input: z.object({ staffNo: z.string().trim().min(1).max(20), password: passwordSchema }),
    output: z.object({ staff: sessionStaffSchema }),
    access: 'public',
  }),
  'auth.logout': channel({ input: empty, output: done, access: 'public' }),
  'auth.me': channel({ input: empty, output: z.object({ staff: sessionStaffSchema.nullable() }), access: 'public' }),
  'auth.changePassword': channel({
    input: z.object({ current: passwordSchema, next: passwordSchema }),
    output: done,
    access: 'session',
  }),

  'staff.list': channel({ input: empty, output: z.object({ rows: z.array(staffRowSchema) }), access: 'staff.manage' }),
  'staff.create': channel({
    input: z.object({
      staffNo: staffNoSchema,
      name: z.string().trim().min(1).max(20),
      roles: z.array(roleSchema).min(1, { message: 'staff.noRoles' }),
      password: passwordSchema,
    }),
    output: z.object({ staff: staffRowSchema }),
    access: 'staff.manage',
  }),
  'staff.setRoles': channel({
    input: z.object({ staffId: z.string(), roles: z.array(roleSchema).min(1, { message: 'staff.noRoles' }) }),
    output: z.object({ staff: staffRowSchema }),
    access: 'staff.manage',
  }),
  'staff.resetPassword': channel({
    input: z.object({ staffId: z.string(), password: passwordSchema }),
    output: z.object({ staff: staffRowSchema }),
    access: 'staff.manage',
  }),
  'staff.setActive': channel({
    input: z.object({ staffId: z.string(), active: z.boolean() }),
    output: z.object({ staff: staffRowSchema }),
    access: 'staff.manage',
  }),
  /** Lifts a login lock before its 15 minutes are up (audited with who had caused it). */
  'staff.unlock': channel({
    input: z.object({ staffId: z.string() }),
    output: z.object({ staff: staffRowSchema }),
    access: 'staff.manage',
  }),
  /** Names of staff for pickers and filters (every logged-in role may see who works here). */
  'staff.directory': channel({
    input: empty,
    output: z.object({
      rows: z.array(z.object({ id: z.string(), staffNo: z.string(), name: z.string(), roles: z.array(roleSchema), active: z.boolean() })),
    }),
    access: 'session',
  }),

  'audit.list': channel({
    input: z.object({
      staffId: z.string().optional(),
      action: z.string().optional(),
      fromDate: dateSchema.optional(),
      toDate: dateSchema.optional(),
      /** Rows with id below this (the previous page's last id). */
      beforeId: z.number().int().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.object({ rows: z.array(auditRowSchema), nextBeforeId: z.number().nullable() }),
    access: 'audit.read',
  }),
  'audit.actions': channel({ input: empty, output: z.object({ actions: z.array(z.string()) }), access: 'audit.read' }),

  'jobs.get': channel({ input: z.object({ jobId: z.string() }), output: jobStateSchema, access: 'session' }),
  /** Long poll: answers when the job's version passes `afterVersion` (or after a while). */
  'jobs.watch': channel({
    input: z.object({ jobId: z.string(), afterVersion: z.number().int() }),
    output: jobStateSchema,
    access: 'session',
  }),

  'backup.run': channel({ input: empty, output: jobStartedSchema, access: 'backup.run' }),
  'backup.list': channel({
    input: empty,
    output: z.object({ rows: z.array(backupFileSchema), failed: z.array(backupFileSchema), health: backupHealthSchema }),
    access: 'backup.run',
  }),
  // The live file's health as the last backup found it: shown to the administrator and the station head.
  'backup.health': channel({ input: empty, output: backupHealthSchema, access: 'audit.read' }),
  'backup.restore': channel({ input: z.object({ file: z.string(), replaceStation: z.boolean().optional() }), output: done, access: 'backup.run' }),

  /** Desktop shell: save the current printable view as PDF through a save dialog. */
  'shell.savePdf': channel({
    input: z.object({ suggestedName: z.string(), landscape: z.boolean().optional(), pageSize: z.enum(['A4', 'A5', 'Roll80']).optional() }),
    output: z.object({ saved: z.boolean(), file: z.string().optional() }),
    access: 'session',
    shellOnly: true,
  }),
  /** Desktop shell: print the current printable view with the system dialog. */
  'shell.print': channel({
    input: z.object({ silent: z.boolean().optional() }),
    output: z.object({ printed: z.boolean() }),
    access: 'session',
    shellOnly: true,
  }),
  /** Desktop shell: save bytes (an export) through a save dialog. */
  'shell.saveFile': channel({
    input: z.object({ suggestedName: z.string(), base64: z.string() }),
    output: z.object({ saved: z.boolean(), file: z.string().optional() }),
    access: 'session',
    shellOnly: true,
  }),
  /**
   * A screen table's rows as shown (its sort, its visible columns) packed as an .xlsx by the
   * station's workbook writer: amounts and quantities as numbers. Reads nothing from the store:
   * the clerk already sees these rows, so any logged-in user may export them.
   */
  'system.exportTable': channel({
    input: z.object({
      fileName: z.string().min(1).max(120),
      sheetName: z.string().min(1).max(31),
      columns: z
        .array(z.object({ header: z.string().max(200), format: z.enum(['text', 'money', 'number']), width: z.number().int().min(4).max(80) }))
        .min(1)
        .max(60),
      rows: z.array(z.array(z.union([z.string().max(4000), z.number()]))).max(100_000),
    }),
    output: z.object({ fileName: z.string(), base64: z.string() }),
    access: 'session',
  }),

  /** The home page's cards for the caller's roles (首页): takings, approvals waiting, books due, period status, sync. */
  'home.summary': channel({ input: z.object({}), output: homeSummarySchema, access: 'session' }),
  /**
   * Browser mode's Save as PDF (保存为PDF): the web host renders the print route (`/print/…`) in
   * Chromium as the caller and answers the file; the desktop app saves through shell.savePdf.
   */
  'print.pdf': channel({
    input: z.object({
      route: z.string().max(2000).regex(/^\/print\//),
      fileName: z.string().trim().min(1).max(200),
    }),
    output: z.object({ fileName: z.string(), base64: z.string() }),
    access: 'session',
  }),
};
