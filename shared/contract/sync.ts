import { z } from 'zod';
import { channel } from './define';
import { jobStartedSchema } from './platform';

// Sync with head office (数据上报与下发): the 数据上报 screen's channels. docs/sync.md.

export const syncStatusSchema = z.object({
  epoch: z.number(),
  keyId: z.string().nullable(),
  fingerprint: z.string().nullable(),
  hqKeyId: z.string().nullable(),
  hqId: z.string().nullable(),
  ackedSeq: z.number(),
  ackedAt: z.number().nullable(),
  referenceVersion: z.number().nullable(),
  referenceAppliedAt: z.number().nullable(),
  waiting: z.array(z.object({ entity: z.string(), count: z.number() })),
  waitingTotal: z.number(),
  outboxRows: z.number(),
  lastExport: z
    .object({ fileName: z.string(), fromSeq: z.number(), toSeq: z.number(), count: z.number(), bytes: z.number(), at: z.number(), sha256: z.string() })
    .nullable(),
  answers: z.array(
    z.object({ status: z.string(), reason: z.string(), fromSeq: z.number().nullable(), toSeq: z.number().nullable(), ackedSeq: z.number().nullable(), at: z.number(), outcome: z.string() }),
  ),
  heldReference: z.array(z.object({ type: z.string(), count: z.number() })),
  /** How the station key is kept: 'safeStorage' (sealed by the desktop app) or 'file-0600' (owner-only file). */
  keyProtection: z.string().nullable(),
  /** Head office's notices: unread ones first, then the last read ones (readAt set). */
  notices: z.array(
    z.object({ id: z.string(), title: z.string(), body: z.string(), until: z.string().nullable(), receivedAt: z.number(), version: z.number(), readAt: z.number().nullable(), readBy: z.string().nullable() }),
  ),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/** A signed file the user picked, as base64 (browser mode uploads it; at most 64 MB). */
const fileInput = z.object({ fileName: z.string().max(260).optional(), dataBase64: z.string().min(1).max(90_000_000) });

export const ackResultSchema = z.object({ status: z.string(), reason: z.string(), ackedSeq: z.number(), pruned: z.number(), fromSeq: z.number(), toSeq: z.number() });
export const applyResultSchema = z.object({
  version: z.number(),
  already: z.boolean(),
  tariffs: z.number(),
  scoreSheets: z.number(),
  held: z.record(z.string(), z.number()),
  /** Applied by the sync desk: policy, staffCreated, staffUpdated, staffDeactivated, notice. */
  loaded: z.record(z.string(), z.number()),
});

export const syncChannels = {
  'sync.status': channel({ input: z.object({}), output: syncStatusSchema, access: 'sync.read' }),
  /** Writes the batch (a job with a progress bar); the result is the export (file, range, counts). */
  'sync.export': channel({ input: z.object({}), output: jobStartedSchema, access: 'sync.run' }),
  'sync.ack': channel({ input: fileInput, output: ackResultSchema, access: 'sync.run' }),
  'sync.apply': channel({ input: fileInput, output: applyResultSchema, access: 'sync.run' }),
  /** Export and POST to head office (a job); the result carries the ack. */
  'sync.push': channel({ input: z.object({ url: z.string().trim().url().max(500) }), output: jobStartedSchema, access: 'sync.run' }),
  /** Fetches and applies head office's newest reference pack, if newer (null: nothing newer). */
  'sync.pull': channel({ input: z.object({ url: z.string().trim().url().max(500) }), output: applyResultSchema.nullable(), access: 'sync.run' }),
  /** The station's enrolment file (public key, fingerprint, id and code) for head office, as bytes. */
  'sync.enrol': channel({
    input: z.object({}),
    output: z.object({ fileName: z.string(), dataBase64: z.string(), keyId: z.string(), fingerprint: z.string(), epoch: z.number(), fromSeq: z.number() }),
    access: 'sync.run',
  }),
  /** Installs head office's public key (once): PEM, base64 of the raw key, or JSON with publicKey and hqId. */
  'sync.trust': channel({
    input: z.object({ keyText: z.string().min(1).max(20_000), hqId: z.string().trim().max(100).optional() }),
    output: z.object({ keyId: z.string(), fingerprint: z.string(), already: z.boolean() }),
    access: 'sync.run',
  }),
  /** A new station key and a new epoch (密钥轮换). */
  /** The station head marks a head-office notice read (it leaves every home page). */
  'sync.noticeRead': channel({ input: z.object({ id: z.string().min(1).max(100) }), output: z.object({ id: z.string(), already: z.boolean() }), access: 'sync.run' }),
  'sync.rotateKey': channel({ input: z.object({}), output: z.object({ keyId: z.string(), epoch: z.number(), fingerprint: z.string() }), access: 'sync.run' }),
};
